package cli

// heapRoom is heap that the collector counts as live but that the process
// never touches, so that it is not resident. Go collects once the heap has
// grown by as much as is live (GOGC=100), at least 4 MB: a 304 pass lives
// on about 2 MB, so it collected some 60 times per 10,000 feeds, and the
// collections with their write barriers and assists took about a sixth of
// its CPU. Counting heapRoom as live, a collection waits for at least
// 16 MB of garbage: 7 collections a pass. The price is that much more
// garbage resident at the peak, in every command that polls
// (docs/limits.md).
const heapRoom = 16 << 20

// newHeapRoom allocates heapRoom bytes for the caller to keep alive while
// it polls (defer runtime.KeepAlive). A large allocation comes from fresh,
// zeroed pages that are never written, so it costs address space, not
// memory.
func newHeapRoom() []byte { return make([]byte, heapRoom) }
