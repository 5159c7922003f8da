// DaryHeapScheduler: an implicit d-ary min-heap of EventKeys (d = 2: binary, d = 4: quaternary).
// O(log n) push and pop with no allocation once the array has grown.
#pragma once

#include <cstddef>
#include <functional>
#include <new>
#include <optional>
#include <string_view>
#include <vector>

#include "ctplab/simulator/event_key.h"
#include "ctplab/simulator/scheduler.h"

namespace ctplab::sim {

// Hands out 64-byte-aligned arrays, so the heap can place each family of siblings in one line.
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlignment{64};

  CacheLineAllocator() = default;
  template <typename U>
  explicit CacheLineAllocator(const CacheLineAllocator<U>&) {}

  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, kAlignment); }
  friend bool operator==(const CacheLineAllocator&, const CacheLineAllocator&) { return true; }
};

template <int kArity>
class DaryHeapScheduler final : public Scheduler {
  static_assert(kArity >= 2, "a heap needs at least two children per node");

 public:
  DaryHeapScheduler();

  void push(EventKey key) override;
  bool popNotAfter(TimePoint limit, EventKey* out) override;
  std::optional<EventKey> peek() override;
  std::size_t size() const override { return storage_.size() - kPadding; }
  void retainIf(const std::function<bool(const EventKey&)>& keep) override;
  std::string_view name() const override;

 private:
  // Node i lives at storage_[i + kPadding] and its children at kArity·i + 1 … kArity·i + kArity.
  // The padding makes every family start at a multiple of kArity: with 16-byte keys, a 4-ary
  // family is exactly one cache line, so each level of a pop touches one line, not two.
  static constexpr std::size_t kPadding = kArity - 1;

  EventKey& at(std::size_t i) { return storage_[i + kPadding]; }
  void siftUp(std::size_t hole, EventKey key);
  void siftDown(std::size_t hole, EventKey key);
  void removeRoot();

  // Invariant: at(i) is not greater than any of its children.
  std::vector<EventKey, CacheLineAllocator<EventKey>> storage_;
};

using BinaryHeapScheduler = DaryHeapScheduler<2>;
using QuaternaryHeapScheduler = DaryHeapScheduler<4>;

extern template class DaryHeapScheduler<2>;
extern template class DaryHeapScheduler<4>;

}  // namespace ctplab::sim
