// The codec's event outbox: merging of adjacent body data and byte accounting for the window.
#include "ctplab/proxy/http1/event_queue.h"

#include <utility>

namespace ctplab::proxy::http1 {

void EventQueue::push(Event event) {
  if (auto* body = std::get_if<BodyData>(&event)) {
    body_bytes_ += body->data.size();
    if (!empty()) {
      auto* last = std::get_if<BodyData>(&items_.back());
      if (last != nullptr && last->request_id == body->request_id) {
        last->data += body->data;
        return;
      }
    }
  }
  // A request without a body queues two events (head, complete): room for both at once.
  if (items_.capacity() == 0) items_.reserve(2);
  items_.push_back(std::move(event));
}

std::optional<Event> EventQueue::pop() {
  if (empty()) return std::nullopt;
  Event event = std::move(items_[head_++]);
  if (const auto* body = std::get_if<BodyData>(&event)) body_bytes_ -= body->data.size();
  // Parsing pauses after each request, so only a handful of events ever queue: releasing the
  // storage when drained leaves an idle connection with none, without shifting elements.
  if (empty()) {
    std::vector<Event>().swap(items_);
    head_ = 0;
  }
  return event;
}

}  // namespace ctplab::proxy::http1
