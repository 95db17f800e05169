// NAT translations reconstructed from events, and the answer to "which inside
// host had this public address (and port) at time T, give or take the skew".
//
// A translation is [start, end) per (public ip, public port, protocol). Its
// events are paired in log order: by the device's session id when the log has
// one, else by the full tuple. A close without a build starts where the close
// says (a duration) or at the first line of its file (the build came before
// the log did). A build without a close ends after the protocol's idle timeout
// (assumed, and said so); a static translation or a port block without a
// release stays open to the end of the log.
#pragma once

#include <atomic>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "tracekit/lease.h"
#include "tracekit/records.h"
#include "tracekit/scan.h"

namespace tracekit {

struct StoredNatEvent {
  NatAction action = NatAction::open;
  uint8_t proto = 0;
  uint8_t time_flags = 0;
  bool is_static = false, connection = false;
  Instant time = kNoTime, start = kNoTime;
  IpAddr inside_ip, public_ip, dst_ip;
  uint16_t inside_port = 0, public_port = 0, dst_port = 0, block_end = 0;
  // Text held by the store that made the event (valid while it lives).
  std::string_view device, session_id, raw;
  // A hash of what pairs the events of one translation (the session id, or
  // the whole tuple): events with the same pairing are compared field by
  // field (same_pairing) before they are taken for one translation's.
  uint64_t pairing = 0;
  EvidenceRef ref;
  uint32_t source = 0;
  uint64_t seq = 0;  // its place in the order events were added (log order)
};

struct NatTranslation {
  IpAddr inside_ip, public_ip, dst_ip;
  uint16_t inside_port = 0, public_port = 0, dst_port = 0;
  uint16_t block_end = 0;  // a port block: [public_port, block_end]
  uint8_t proto = 0;
  bool is_static = false, connection = false, block = false;
  Instant start = kNoTime, end = kForever;
  enum class EndKind : uint8_t {
    stated,   // a teardown, a release, or a session record's end
    assumed,  // no teardown: build + the protocol's idle timeout
    open,     // static or port block with no release: open to the end of the log
  } end_kind = EndKind::open;
  Micros assumed_timeout{0};
  bool start_from_file = false;  // no build in the log: starts at its file's first line
  bool clock_backwards = false;  // the teardown was logged before the build
  uint32_t source = 0;
  std::string device;
  static constexpr uint32_t kNoEvent = UINT32_MAX;
  uint32_t open_event = kNoEvent, close_event = kNoEvent;
};

// The idle timeouts assumed when a translation has no teardown in the log
// (settable per source: tcp_timeout, udp_timeout, icmp_timeout, other_timeout).
struct NatTimeoutValues {
  Micros tcp{std::chrono::hours(1)};
  Micros udp{std::chrono::minutes(2)};
  Micros icmp{std::chrono::seconds(30)};
  Micros other{std::chrono::minutes(2)};
  Micros for_proto(uint8_t proto) const;
  Micros longest() const;
};
NatTimeoutValues nat_timeouts_for(const SourceSpec& src);

class NatStore {
 public:
  NatStore() = default;
  // Events point into the store's own text: moved with it, never copied. A
  // store moved from is empty.
  NatStore(const NatStore&) = delete;
  NatStore& operator=(const NatStore&) = delete;
  NatStore(NatStore&&) = default;
  NatStore& operator=(NatStore&&) = default;
  // Tests only: the hash that sorts events into groups (null: the real
  // one), for stores made from here on. A constant one makes every pair of
  // events collide, so that the comparison field by field alone must keep
  // translations apart.
  static void set_pairing_hash_for_tests(uint64_t (*hash)(const StoredNatEvent&));
  // The times asked, per address and port (port 0: any), as closed spans
  // [from, to] widened by the skew: a translation meeting none of its key's
  // spans is dropped, once final, as the events stream in (memory follows
  // the answers, not the log). Keys are inside addresses and ports when
  // `reverse`. Not set: all kept. timeouts[source] as for build().
  struct Window {
    IpAddr ip;
    uint16_t port = 0;
    Span span;
  };
  void set_windows(const std::vector<Window>& windows, bool reverse,
                   std::vector<NatTimeoutValues> timeouts);
  // Ids are valid after build (compactions renumber).
  void add(const NatEvent& ev, uint32_t file_id, uint32_t source);
  // Builds the translations. timeouts[source]; file_start[file] is the first
  // time of each file (for closes whose build came before the log). The last
  // step: nothing is added after it (a compaction would renumber the events
  // event() reads).
  void build(const std::vector<NatTimeoutValues>& timeouts, const std::vector<Instant>& file_start);

  const std::vector<NatTranslation>& translations() const { return translations_; }
  const StoredNatEvent& event(uint32_t id) const { return kept_->events[id]; }
  // Events held (waits for a compaction running).
  size_t event_count() const;
  std::vector<const NatTranslation*> for_public(const IpAddr& ip) const;
  // Those that can hold `port` (0: all of the address): its single-port
  // translations, port blocks and translations without a port, by start.
  std::vector<const NatTranslation*> for_public(const IpAddr& ip, uint16_t port) const;
  std::vector<const NatTranslation*> for_inside(const IpAddr& ip) const;

 private:
  // The events of each translation's group, in log order, one group after
  // the other: group k is ids[starts[k], starts[k + 1]).
  struct Groups {
    std::vector<uint32_t> ids, starts;
    size_t size() const { return starts.empty() ? 0 : starts.size() - 1; }
    std::span<const uint32_t> operator[](size_t k) const {
      return {ids.data() + starts[k], ids.data() + starts[k + 1]};
    }
  };
  using Events = std::vector<StoredNatEvent>;
  static Groups groups(const Events& events);
  template <class Emit>
  static void pair_group(const Events& events, std::span<const uint32_t> g,
                         const std::vector<NatTimeoutValues>& timeouts,
                         const std::vector<Instant>& file_start, Emit&& emit);
  // The text of the events (device, session id, raw line), in blocks that
  // never move, so that the events' views stay valid as more are added.
  class Text {
   public:
    std::string_view add(std::string_view s);
    // Takes over other's blocks (the views into them stay valid).
    void absorb(Text&& other);

   private:
    static constexpr size_t kBlock = size_t(1) << 20;
    std::vector<std::unique_ptr<char[]>> blocks_;
    size_t used_ = 0, room_ = 0;  // in the last block
  };
  struct WindowSet {
    std::vector<Span> all, any_port;  // sorted and merged
    std::unordered_map<uint16_t, std::vector<Span>> by_port;
  };
  // What a compaction reads; never changed while one runs.
  struct Windows {
    std::unordered_map<IpAddr, WindowSet, IpHash> by_ip;
    bool reverse = false;
    std::vector<NatTimeoutValues> timeouts;
    bool meet(const NatTranslation& t) const;
  };
  struct Chunk {
    Events events;
    Text text;
    // Events handed to a compaction, added to `events` first thing.
    Events incoming;
    Text incoming_text;
    // Events of runs a compaction kept that later events cannot change (see
    // compact): later compactions pass them over. They join `events`, in
    // log order, when the store is built.
    Events settled;
    Text settled_text;
    std::atomic<size_t> kept{0};  // events the last compaction left in `events`
    std::exception_ptr error;     // what a compaction on its own thread threw
  };
  Chunk& kept();
  static void compact(Chunk& chunk, const Windows& windows);
  // Hands the events added so far, with those kept before, to a compaction
  // (on a thread of its own unless TRACEKIT_THREADS=1).
  void hand_off();
  // Waits for a compaction running; then the new events join kept_.
  void merge_new();
  // Moves `from` (and the text its events view) to the end of c's events.
  static void append(Chunk& c, Events& from, Text& text);
  // The settled events back among the others, all in log order.
  static void unsettle(Chunk& c);
  // Waits for a compaction running; what it threw is thrown here.
  void finish_compaction();
  // A thread joined before it is replaced or destroyed.
  struct Joining {
    std::thread thread;
    Joining() = default;
    Joining(Joining&& o) noexcept = default;
    Joining& operator=(Joining&& o) noexcept {
      join();
      thread = std::move(o.thread);
      return *this;
    }
    ~Joining() { join(); }
    void join() {
      if (thread.joinable()) thread.join();
    }
  };
  static constexpr size_t kFirstCompaction = size_t(1) << 15;
  std::shared_ptr<const Windows> windows_;  // null: none set
  // kept_: the events before events_, as the last compaction left them;
  // while compactor_ runs, its alone (it holds a reference of its own) but
  // for the atomic `kept`.
  std::shared_ptr<Chunk> kept_ = std::make_shared<Chunk>();
  mutable Joining compactor_;
  Events events_;
  Text text_;
  uint64_t added_ = 0;  // events added (the next one's seq)
  std::vector<NatTranslation> translations_;
  std::unordered_map<IpAddr, std::vector<uint32_t>, IpHash> by_public_, by_inside_;
  // By public address, then port: single-port translations; and per address
  // the others (port blocks, no port), which any port may fall in.
  std::unordered_map<IpAddr, std::unordered_map<uint16_t, std::vector<uint32_t>>, IpHash>
      by_public_port_;
  std::unordered_map<IpAddr, std::vector<uint32_t>, IpHash> by_public_wide_;
};

struct NatQueryKey {
  IpAddr ip;              // the public address (or, reverse, the inside one)
  uint16_t port = 0;      // 0: any
  uint8_t proto = 0;      // 0: any
  IpAddr dst_ip;          // unset: any
  uint16_t dst_port = 0;  // 0: any
};

// Whether a translation can be the one a query asks about, time aside: the
// port in its port (or block), protocol and destination not contradicting.
bool nat_key_fits(const NatTranslation& t, const NatQueryKey& q, bool reverse);

struct NatCandidate {
  // Translations of one inside host (forward) or one public address:port
  // (reverse) in the window; `best` the one nearest the time asked.
  std::vector<const NatTranslation*> translations;
  const NatTranslation* best = nullptr;
};

struct NatAnswer {
  MatchKind kind = MatchKind::none;
  std::vector<NatCandidate> candidates;  // one per inside host (exact: one)
  std::string why;                       // for gap: what coverage is missing
  // Not a gap: what the answer depends on that the logs do not show (a
  // candidate whose end is assumed across a silence in the log).
  std::string caveat;
};

// Candidates are translations overlapping [t - skew, t + skew] that fit the
// key; translations of the same inside host count once (forward). None and no
// coverage (or coverage starting less than `lookback` before t) is a gap.
NatAnswer match_nat(const std::vector<const NatTranslation*>& translations, const NatQueryKey& key,
                    Instant t, Micros skew, const Coverage& coverage, Micros lookback,
                    bool reverse);

}  // namespace tracekit
