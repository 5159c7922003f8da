// EventCallback: the move-only `void()` action an event runs when its time comes. Events own their
// payload (a moved-in packet), so copies are never needed; small captures live inline, unallocated.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace ctplab::sim {

class EventCallback {
 public:
  // Room for a few pointers and integers; bigger captures are boxed on the heap. The slot that
  // holds a callback and its sequence number then fills exactly one 64-byte cache line.
  static constexpr std::size_t kInlineBytes = 48;

  EventCallback() = default;

  // Implicit so that `sim.schedule(at, [this] { ... })` reads naturally.
  template <typename F>
  EventCallback(F&& f)  // NOLINT(google-explicit-constructor)
      requires(!std::same_as<std::decay_t<F>, EventCallback> && std::invocable<std::decay_t<F>&>) {
    using Fn = std::decay_t<F>;
    if constexpr (kFitsInline<Fn>) {
      std::construct_at(reinterpret_cast<Fn*>(storage_), std::forward<F>(f));
      ops_ = &kInlineOps<Fn>;
    } else {
      std::construct_at(reinterpret_cast<std::unique_ptr<Fn>*>(storage_),
                        std::make_unique<Fn>(std::forward<F>(f)));
      ops_ = &kBoxedOps<Fn>;
    }
  }

  EventCallback(EventCallback&& other) noexcept { takeFrom(other); }
  EventCallback& operator=(EventCallback&& other) noexcept {
    if (this != &other) {
      reset();
      takeFrom(other);
    }
    return *this;
  }
  EventCallback(const EventCallback&) = delete;
  EventCallback& operator=(const EventCallback&) = delete;
  ~EventCallback() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }

  // Precondition: holds a callable.
  void operator()() { ops_->invoke(storage_); }

  void reset() {
    if (ops_ != nullptr && ops_->destroy != nullptr) ops_->destroy(storage_);
    ops_ = nullptr;
  }

 private:
  // A null relocate or destroy means "trivially copyable": a byte copy moves it and nothing needs
  // to run on destruction, which keeps the common small lambda off indirect calls.
  struct Ops {
    void (*invoke)(void* storage);
    void (*relocate)(void* to, void* from);
    void (*destroy)(void* storage);
  };

  template <typename Fn>
  static constexpr bool kFitsInline = sizeof(Fn) <= kInlineBytes &&
                                      alignof(Fn) <= 8 && std::is_nothrow_move_constructible_v<Fn>;

  template <typename Fn>
  static Fn* as(void* storage) {
    return std::launder(reinterpret_cast<Fn*>(storage));
  }

  template <typename Fn>
  static constexpr bool kTrivial = std::is_trivially_copyable_v<Fn>;

  template <typename Fn>
  static constexpr Ops kInlineOps = {
      [](void* s) { (*as<Fn>(s))(); },
      kTrivial<Fn> ? nullptr
                   : +[](void* to, void* from) {
                       std::construct_at(reinterpret_cast<Fn*>(to), std::move(*as<Fn>(from)));
                       std::destroy_at(as<Fn>(from));
                     },
      kTrivial<Fn> ? nullptr : +[](void* s) { std::destroy_at(as<Fn>(s)); },
  };

  template <typename Fn>
  static constexpr Ops kBoxedOps = {
      [](void* s) { (**as<std::unique_ptr<Fn>>(s))(); },
      [](void* to, void* from) {
        using Box = std::unique_ptr<Fn>;
        std::construct_at(reinterpret_cast<Box*>(to), std::move(*as<Box>(from)));
        std::destroy_at(as<Box>(from));
      },
      [](void* s) { std::destroy_at(as<std::unique_ptr<Fn>>(s)); },
  };

  void takeFrom(EventCallback& other) noexcept {
    ops_ = other.ops_;
    if (ops_ == nullptr) return;
    if (ops_->relocate != nullptr) {
      ops_->relocate(storage_, other.storage_);
    } else {
      std::memcpy(storage_, other.storage_, kInlineBytes);
    }
    other.ops_ = nullptr;
  }

  const Ops* ops_ = nullptr;
  alignas(8) std::byte storage_[kInlineBytes];
};

}  // namespace ctplab::sim
