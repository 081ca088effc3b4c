package pipeline

// stopped reports whether stop is closed: the pass, the walk or the run it
// belongs to is to start nothing new.
func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}
