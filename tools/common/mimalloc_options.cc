// Linked into each tool with mimalloc (CMakeLists.txt): memory freed goes back
// to the system at once, not after mimalloc's default delay. A batch frees the
// NAT events a compaction dropped in bursts; held for the delay, they raised
// trace-nat's peak on the 2 GB benchmark log from about 83 MB to 89-96 MB.
// MIMALLOC_DECOMMIT_DELAY still overrides it.
#include <mimalloc.h>

namespace {

struct DecommitAtOnce {
  DecommitAtOnce() { mi_option_set_default(mi_option_decommit_delay, 0); }
} decommit_at_once;

}  // namespace
