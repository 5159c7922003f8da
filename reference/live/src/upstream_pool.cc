#include "upstream_pool.h"

#include <utility>

namespace ctplab::live {

UpstreamPool::UpstreamPool(asio::any_io_executor executor, tcp::endpoint endpoint,
                           UpstreamClient::Limits limits, size_t max_idle)
    : executor_(std::move(executor)), endpoint_(endpoint), limits_(limits), max_idle_(max_idle) {}

std::shared_ptr<UpstreamClient> UpstreamPool::acquire() {
  while (!idle_.empty()) {
    auto client = std::move(idle_.back());
    idle_.pop_back();
    if (client->reusable()) return client;
  }
  ++created_;
  return std::make_shared<UpstreamClient>(executor_, endpoint_, limits_);
}

void UpstreamPool::release(std::shared_ptr<UpstreamClient> client) {
  if (!client || !client->reusable()) return;
  if (idle_.size() >= max_idle_) {
    client->cancel();
    return;
  }
  idle_.push_back(std::move(client));
}

void UpstreamPool::closeAll() {
  for (auto& client : idle_) client->cancel();
  idle_.clear();
}

}  // namespace ctplab::live
