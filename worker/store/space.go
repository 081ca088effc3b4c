package store

// MinFreeSpace is the room the disk under a database must leave for the
// worker to count as able to write: about what a batch of new articles,
// their search index and the WAL frames that carry them take.
const MinFreeSpace = 1 << 20

// SpaceChecker is a store that can ask the file system under its files
// whether there is room to write: SQLite, whose files are local. Writes
// alone cannot tell: on a full disk SQLite goes on rewriting pages its files
// already hold (leases, feed states), so claims and saves succeed now and
// then while no new article fits, and a poll with nothing new writes no
// article at all.
type SpaceChecker interface {
	// CheckSpace returns an error wrapping ErrStorageFull, naming the file,
	// while the disk has less than MinFreeSpace available.
	CheckSpace() error
}
