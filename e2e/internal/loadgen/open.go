package loadgen

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// Open is the shape of an open loop.
type Open struct {
	Rate   int           // requests per second
	Warmup time.Duration // sent and checked, not in the percentiles
	For    time.Duration // the measured requests
	// MaxConns bounds the connections, opened as needed when every open
	// one waits for an answer (default 128; waardenbot serves at most
	// 256 at once). A request that finds all of them busy waits, and
	// its latency counts the wait: it is still timed from its planned
	// send time.
	MaxConns int
	// Mark, if set, is called as the first measured request is sent and
	// after the last one is.
	Mark func()
}

// OpenResult is what an open loop measured.
type OpenResult struct {
	Tally        // every request, those of the warm-up included
	Requests int // measured requests
	// Latency of the measured requests, from the planned send time
	// until the whole answer was read; failed requests until they
	// failed.
	Latency Percentiles
	// Lag is how late the generator sent the measured requests: its own
	// share of Latency (timer wake-up, hand-over to a connection, waiting
	// for a free connection).
	Lag     Percentiles
	Elapsed time.Duration // from the first measured send until the last answer
	Conns   int           // connections opened
}

// RunOpen sends o.Rate requests a second to t for o.Warmup and then
// o.For, each at its planned time whether or not earlier ones have been
// answered, and reports the latencies of the second part. It stops early
// when ctx is cancelled.
func RunOpen(ctx context.Context, t Target, o Open) (OpenResult, error) {
	if err := t.check(); err != nil {
		return OpenResult{}, err
	}
	if o.Rate < 1 || o.For <= 0 {
		return OpenResult{}, errors.New("open loop: need a rate and a duration")
	}
	if o.MaxConns < 1 {
		o.MaxConns = 128
	}
	o.MaxConns = min(o.MaxConns, maxStreams)
	interval := time.Second / time.Duration(o.Rate)
	warm := int(o.Warmup / interval)
	n := warm + int(o.For/interval)
	p, err := newPacer(interval)
	if err != nil {
		return OpenResult{}, err
	}
	defer p.close()
	planned := func(i int) time.Time { return p.start.Add(time.Duration(i+1) * interval) }
	d := newDialer(t.addrs(), planned(n-1).Add(answerTimeout))
	defer context.AfterFunc(ctx, func() { d.stop(); p.close() })()

	nonce := time.Now().UnixNano()
	lat, lag := make([]time.Duration, n), make([]time.Duration, n)
	work := make(chan int)
	var tallies []*Tally
	var wg sync.WaitGroup
	startConn := func() {
		tl := &Tally{}
		tallies = append(tallies, tl)
		cmd := NewCommand(t, len(tallies)-1, nonce)
		wg.Go(func() { openConn(d, t, cmd, work, planned, lat, lag, tl) })
	}
	var runErr error
	for i := 0; i < n; {
		due, err := p.wait()
		if err != nil {
			runErr = err
			break
		}
		for ; due > 0 && i < n; due-- {
			if i == warm && o.Mark != nil {
				o.Mark()
			}
			select {
			case work <- i:
			default:
				if len(tallies) < o.MaxConns {
					startConn()
				}
				work <- i
			}
			i++
		}
	}
	if o.Mark != nil {
		o.Mark()
	}
	close(work)
	wg.Wait()
	r := OpenResult{Requests: n - warm, Conns: d.opened(), Elapsed: time.Since(planned(warm))}
	for _, tl := range tallies {
		r.Tally.Add(*tl)
	}
	r.Latency = percentiles(lat[warm:])
	r.Lag = percentiles(lag[warm:])
	if runErr == nil {
		runErr = ctx.Err()
	}
	return r, runErr
}

// openConn is one connection of an open loop: it sends request i when
// the dispatcher hands it over and records its lag and latency.
func openConn(d *dialer, t Target, cmd *Command, work <-chan int, planned func(int) time.Time, lat, lag []time.Duration, r *Tally) {
	var conn net.Conn
	var rr *ResponseReader
	defer func() { d.close(conn) }()
	for i := range work {
		at := planned(i)
		if conn == nil {
			var err error
			if conn, err = d.dial(); err != nil {
				r.fail(err)
				lag[i] = time.Since(at)
				lat[i] = lag[i]
				continue
			}
			rr = NewResponseReader(conn)
		}
		now := time.Now()
		lag[i] = now.Sub(at)
		_, err := conn.Write(cmd.Next(now))
		var resp Response
		if err == nil {
			resp, err = rr.Read()
		}
		lat[i] = time.Since(at)
		if err != nil {
			r.fail(err)
			d.close(conn)
			conn = nil
			continue
		}
		r.count(resp, t.Expect)
		if resp.Close {
			d.close(conn)
			conn = nil
		}
	}
}
