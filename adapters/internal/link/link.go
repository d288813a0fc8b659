// Package link tracks an adapter's live connection to its platform (Slack's
// Socket Mode connection, Mattermost's WebSocket), so that an outage is
// never silent. The adapter reports what happens to the connection:
//
//	l := &link.Status{Name: "Mattermost WebSocket", Impact: "mentions go unanswered", Patience: time.Minute, Log: log}
//	l.Down() // before each attempt to connect, and when the connection drops
//	l.Up()   // once connected
//
// and a health check asks [Status.Healthy].
package link

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Status tracks an adapter's live connection to its platform, so that an
// outage is never silent: the adapter logs each failed attempt as a
// warning, Status logs one error once the outage has lasted Patience and an
// info line with its length when it ends, and Healthy turns false for a
// health check.
type Status struct {
	Name     string        // what is connected: "Mattermost WebSocket"
	Impact   string        // what users miss while it is down: "mentions and direct messages go unanswered"
	Patience time.Duration // how long an outage may last before it is an error
	Fix      string        // what an operator can do when it lasts: "check …"
	Log      *slog.Logger
	Now      func() time.Time // nil: time.Now

	mu   sync.Mutex
	down time.Time // when the outage began; zero while connected
	loud bool      // the error for this outage was logged
	was  bool      // it was connected before: a new connection ends an outage
}

func (l *Status) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Up records a working connection, and logs the end of an outage (not
// the first connection).
func (l *Status) Up() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.down.IsZero() && l.was && l.Log != nil {
		l.Log.Info(l.Name+" is back", "outage", l.now().Sub(l.down).Round(time.Second))
	}
	l.down, l.loud, l.was = time.Time{}, false, true
}

// Down records a lost connection, a new attempt to connect or a failed
// one. Once the
// outage has lasted Patience it logs an error, once per outage.
func (l *Status) Down() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.down.IsZero() {
		l.down = now
	}
	if !l.loud && now.Sub(l.down) >= l.Patience && l.Log != nil {
		l.loud = true
		l.Log.Error(l.Name+" has been down; the bot keeps retrying", "impact", l.Impact, "since", l.down.Format(time.RFC3339), "for", now.Sub(l.down).Round(time.Second), "fix", l.Fix)
	}
}

// Connected reports whether the connection is up: Up was reported, and no
// Down since.
func (l *Status) Connected() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.was && l.down.IsZero()
}

// Healthy reports false, with the reason, when the connection has been down
// for Patience or longer.
func (l *Status) Healthy() (bool, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.down.IsZero() {
		return true, ""
	}
	if d := l.now().Sub(l.down); d >= l.Patience {
		return false, fmt.Sprintf("%s down since %s (%s); retrying", l.Name, l.down.Format(time.RFC3339), d.Round(time.Second))
	}
	return true, ""
}
