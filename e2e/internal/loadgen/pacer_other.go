//go:build !linux

package loadgen

import (
	"errors"
	"sync"
	"time"
)

// pacer ticks every interval from start (the first tick at start +
// interval). Outside Linux it sleeps, so the ticks are as late as the Go
// runtime's timers wake up (up to a millisecond or so): the lag in the
// results shows how late.
type pacer struct {
	start    time.Time
	interval time.Duration
	ticks    int // ticks returned so far
	stop     chan struct{}
	once     sync.Once
}

func newPacer(interval time.Duration) (*pacer, error) {
	return &pacer{start: time.Now(), interval: interval, stop: make(chan struct{})}, nil
}

var errPacerClosed = errors.New("pacer closed")

// wait waits for the next tick and returns how many ticks have passed
// since the last call (more than one when the caller was late).
func (p *pacer) wait() (int, error) {
	next := p.start.Add(time.Duration(p.ticks+1) * p.interval)
	select {
	case <-time.After(time.Until(next)):
	case <-p.stop:
		return 0, errPacerClosed
	}
	due := int(time.Since(p.start) / p.interval)
	n := due - p.ticks
	p.ticks = due
	return n, nil
}

// close stops the ticks; a wait in progress returns an error.
func (p *pacer) close() { p.once.Do(func() { close(p.stop) }) }
