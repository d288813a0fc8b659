//go:build race

package slack

// raceEnabled: the race detector drops sync.Pool's items at random and
// allocates for itself, so allocation counts mean nothing under it.
const raceEnabled = true
