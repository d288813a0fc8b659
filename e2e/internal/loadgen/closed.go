package loadgen

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// answerTimeout is how long after the end of a run an answer may still
// take before its connection is given up.
const answerTimeout = 10 * time.Second

// Closed is the shape of a closed loop.
type Closed struct {
	Conns  int           // connections, each with one request outstanding
	Warmup time.Duration // sent, checked, not counted in the rate
	For    time.Duration // the measured window, at most
	// MaxRequests, if not 0, ends the loop early once that many requests
	// (warm-up included) have been sent, and with it the window. A server
	// that remembers what it has seen can only remember so much:
	// waardenbot answers 503 beyond about 262,144 signatures in five
	// minutes.
	MaxRequests int
	// Mark, if set, is called as the measured window opens and as it
	// closes (for example to read CPU times).
	Mark func()
}

// ClosedResult is what a closed loop measured.
type ClosedResult struct {
	Tally       // every answer, those of the warm-up included
	Counted int // correct answers that arrived inside the window
	Window  time.Duration
	Sent    int  // requests sent
	Limited bool // the window ended early, at MaxRequests
	Conns   int  // connections opened
}

// PerSecond is the rate of correct answers inside the window.
func (r ClosedResult) PerSecond() float64 {
	if r.Window <= 0 {
		return 0
	}
	return float64(r.Counted) / r.Window.Seconds()
}

// closedRun is what the connections of a closed loop share.
type closedRun struct {
	d      *dialer
	t      Target
	open   time.Time // the window opens
	shut   time.Time // and closes, unless the requests run out first
	max    int64     // requests that may be sent; 0: no limit
	sent   atomic.Int64
	out    chan struct{} // closed when the last request has been sent
	outAt  time.Time     // when, set before out is closed
	outOne sync.Once
}

// RunClosed keeps c.Conns connections to t busy, each sending its next
// command as soon as the answer to its last one has arrived, for
// c.Warmup and then c.For (or until c.MaxRequests), and counts the
// correct answers that arrive in the second part. It stops early when ctx
// is cancelled.
func RunClosed(ctx context.Context, t Target, c Closed) (ClosedResult, error) {
	if err := t.check(); err != nil {
		return ClosedResult{}, err
	}
	if c.Conns < 1 || c.Conns > maxStreams || c.For <= 0 || c.MaxRequests < 0 {
		return ClosedResult{}, errors.New("closed loop: need 1 to 10,000 connections and a duration")
	}
	nonce := time.Now().UnixNano()
	open := time.Now().Add(c.Warmup)
	run := &closedRun{t: t, open: open, shut: open.Add(c.For), max: int64(c.MaxRequests), out: make(chan struct{})}
	run.d = newDialer(t.addrs(), run.shut.Add(answerTimeout))
	defer context.AfterFunc(ctx, run.d.stop)()

	arrivals := make([][]time.Duration, c.Conns)
	results := make([]ClosedResult, c.Conns)
	var wg sync.WaitGroup
	for i := range c.Conns {
		wg.Go(func() { results[i], arrivals[i] = run.conn(NewCommand(t, i, nonce)) })
	}
	mark := func(at time.Time) {
		select {
		case <-time.After(time.Until(at)):
		case <-run.out:
		case <-ctx.Done():
		}
		if c.Mark != nil {
			c.Mark()
		}
	}
	mark(open)
	mark(run.shut)
	wg.Wait()

	r := ClosedResult{Window: c.For, Conns: run.d.opened(), Sent: int(run.sent.Load())}
	if run.max > 0 {
		r.Sent = min(r.Sent, c.MaxRequests) // the connections that found none left counted one each
	}
	select {
	case <-run.out:
		if w := run.outAt.Sub(open); w < r.Window {
			r.Window, r.Limited = max(w, 0), true
		}
	default:
	}
	for i, x := range results {
		r.Tally.Add(x.Tally)
		for _, a := range arrivals[i] {
			if a < r.Window {
				r.Counted++
			}
		}
	}
	return r, ctx.Err()
}

// conn is one connection of a closed loop. It returns its tally and when
// its correct answers arrived, counted from the opening of the window.
func (run *closedRun) conn(cmd *Command) (ClosedResult, []time.Duration) {
	var r ClosedResult
	var arrivals []time.Duration
	var conn net.Conn
	var rr *ResponseReader
	defer func() { run.d.close(conn) }()
	for {
		now := time.Now()
		if !now.Before(run.shut) || run.d.stopped() {
			return r, arrivals
		}
		if conn == nil {
			var err error
			if conn, err = run.d.dial(); err != nil {
				r.fail(err)
				time.Sleep(10 * time.Millisecond) // a server that is not (yet) there
				continue
			}
			rr = NewResponseReader(conn)
		}
		if n := run.sent.Add(1); run.max > 0 && n >= run.max {
			if n > run.max {
				return r, arrivals
			}
			run.outOne.Do(func() {
				run.outAt = time.Now()
				close(run.out)
			})
		}
		if _, err := conn.Write(cmd.Next(now)); err != nil {
			r.fail(err)
			run.d.close(conn)
			conn = nil
			continue
		}
		resp, err := rr.Read()
		if err != nil {
			r.fail(err)
			run.d.close(conn)
			conn = nil
			continue
		}
		at := time.Now()
		if r.count(resp, run.t.Expect) && !at.Before(run.open) {
			arrivals = append(arrivals, at.Sub(run.open))
		}
		if resp.Close {
			run.d.close(conn)
			conn = nil
		}
	}
}

// dialer opens a run's connections, all with the run's deadline, and can
// cut them all off at once.
type dialer struct {
	addrs    []string // each new connection goes to the next
	deadline time.Time

	done atomic.Bool // set with mu held

	mu    sync.Mutex
	conns map[net.Conn]bool
	count int
}

func newDialer(addrs []string, deadline time.Time) *dialer {
	return &dialer{addrs: addrs, deadline: deadline, conns: map[net.Conn]bool{}}
}

var errStopped = errors.New("load generator stopped")

func (d *dialer) dial() (net.Conn, error) {
	d.mu.Lock()
	addr := d.addrs[d.count%len(d.addrs)]
	d.mu.Unlock()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done.Load() {
		c.Close()
		return nil, errStopped
	}
	d.conns[c] = true
	d.count++
	c.SetDeadline(d.deadline)
	return c, nil
}

// close closes c (if not nil) and forgets it.
func (d *dialer) close(c net.Conn) {
	if c == nil {
		return
	}
	d.mu.Lock()
	delete(d.conns, c)
	d.mu.Unlock()
	c.Close()
}

// stop makes every read and write on the connections fail now, and every
// later dial.
func (d *dialer) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.done.Store(true)
	for c := range d.conns {
		c.SetDeadline(time.Unix(1, 0))
	}
}

func (d *dialer) stopped() bool { return d.done.Load() }

// opened is how many connections were opened.
func (d *dialer) opened() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.count
}
