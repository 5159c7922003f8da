// The codec's outbox of events, in wire order, with the byte count of queued body data so the
// codec can bound what a connection holds before the caller pulls.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "ctplab/proxy/http1/events.h"

namespace ctplab::proxy::http1 {

class EventQueue {
 public:
  // Adjacent body data of one request is merged, so how the bytes were split on the wire does
  // not change how many events the caller sees (unless it pulls in between).
  void push(Event event);
  std::optional<Event> pop();

  bool empty() const { return head_ == items_.size(); }
  size_t size() const { return items_.size() - head_; }
  size_t queuedBodyBytes() const { return body_bytes_; }

 private:
  std::vector<Event> items_;
  size_t head_ = 0;  // items_[0, head_) were popped; compacted when the queue drains
  size_t body_bytes_ = 0;
};

}  // namespace ctplab::proxy::http1
