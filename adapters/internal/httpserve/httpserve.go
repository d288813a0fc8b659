// Package httpserve runs the HTTP listeners of the adapters that take
// requests from their platform (Slack's HTTP mode, Mattermost's slash
// commands and buttons), holding every client to [Limits] so that slow or
// silent clients cannot keep the listener from answering the platform.
//
// An adapter binds its listener itself (so that a busy address fails at
// once) and hands it over:
//
//	ln, err := net.Listen("tcp", cfg.Listen)
//	...
//	return httpserve.Serve(ctx, ln, a.Handler())
//
// Serve returns when ctx ends, after requests in flight have had a few
// seconds to finish.
package httpserve

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// shutdownGrace is how long requests in flight may finish when a listener
// stops.
const shutdownGrace = 5 * time.Second

// maxHeaderBytes bounds a request's line and headers. Slack and Mattermost
// send well under 2 KB, a reverse proxy adds a few hundred bytes; the
// default of net/http (1 MB) would let every open connection hold a
// megabyte.
const maxHeaderBytes = 16 << 10

// Limits bound what one client can hold of a listener, so that clients
// that send slowly, or connect and send nothing, cannot keep the listener
// from answering Slack and Mattermost. A zero field takes its default.
type Limits struct {
	// Read is how long a request may take to arrive, headers and body:
	// from the connection's accept, or on a kept-alive connection from
	// the request's first byte. Default 5 s: Slack's and Mattermost's
	// requests are a few kilobytes (the Slack adapter refuses bodies
	// above 1 MB, the Mattermost adapter above 64 KB) sent at once from
	// their servers, and Slack gives up on an answer after 3 s anyway.
	// It does not bound the handler's work: the clock stops once the
	// body has been read.
	Read time.Duration
	// Write is how long the handler may take to answer, from the end of
	// the request's headers until the last byte of the answer is
	// written. Default 35 s: longer than Mattermost waits for a slash
	// command's answer (30 s; the adapter gives the bot 25 s), so that no
	// answer still awaited is cut off.
	Write time.Duration
	// Idle is how long a kept-alive connection may wait for its next
	// request. Default 60 s.
	Idle time.Duration
	// Conns is how many connections may be open at once. Default 256,
	// far above what Slack and Mattermost use (a handful; a load test at
	// 2,000 requests/s keeps a few dozen busy). A further connection
	// waits in the system's accept queue until one closes, costing the
	// bot nothing meanwhile; the timeouts above bound how long that
	// takes. So a flood of slow clients costs at most about 5 MB (20 KB
	// per connection for its goroutine and buffers, measured; see
	// BENCHMARKS.md) plus what has arrived of the bodies being read,
	// which the adapters cap.
	Conns int
}

// withDefaults fills in the zero fields.
func (l Limits) withDefaults() Limits {
	if l.Read <= 0 {
		l.Read = 5 * time.Second
	}
	if l.Write <= 0 {
		l.Write = 35 * time.Second
	}
	if l.Idle <= 0 {
		l.Idle = 60 * time.Second
	}
	if l.Conns <= 0 {
		l.Conns = 256
	}
	return l
}

// A Option changes how Serve serves.
type Option func(*Limits)

// WithLimits sets the limits of Serve; zero fields keep their
// defaults. Tests use it for timeouts of a fraction of a second.
func WithLimits(l Limits) Option {
	return func(dst *Limits) { *dst = l }
}

// Serve serves h on ln until ctx is cancelled, then shuts down
// gracefully. Adapters that listen for their platform (slash commands,
// button clicks) share it. It holds every client to Limits (the
// defaults unless WithLimits says otherwise): a request must arrive
// within 5 s, its answer may take 35 s, an idle connection is closed after
// a minute, and at most 256 connections are open at once.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, opts ...Option) error {
	var l Limits
	for _, o := range opts {
		o(&l)
	}
	l = l.withDefaults()
	srv := &http.Server{
		Handler: h,
		// ReadTimeout covers the headers as well. net/http lifts the
		// read deadline once the body has been read (golang/go#18447),
		// so a handler that works longer keeps its context;
		// TestWorkLongerThanTheReadTimeoutIsNotCutOff holds it to that.
		ReadTimeout:    l.Read,
		WriteTimeout:   l.Write,
		IdleTimeout:    l.Idle,
		MaxHeaderBytes: maxHeaderBytes,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(netutil.LimitListener(ln, l.Conns)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
