package link_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/adapters/internal/link"
)

func TestLinkSaysOnceWhenAnOutageLastsAndWhenItEnds(t *testing.T) {
	var logs bytes.Buffer
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	l := &link.Status{Name: "Mattermost WebSocket", Impact: "mentions go unanswered", Patience: time.Minute, Log: slog.New(slog.NewTextHandler(&logs, nil)), Now: func() time.Time { return now }}
	l.Down() // connecting for the first time
	l.Up()
	if ok, _ := l.Healthy(); !ok || logs.Len() != 0 {
		t.Fatalf("healthy %v, log %q", ok, logs.String())
	}
	l.Down()
	now = now.Add(30 * time.Second)
	l.Down()
	if ok, _ := l.Healthy(); !ok || strings.Contains(logs.String(), "ERROR") {
		t.Errorf("a 30 s outage is not an error yet: healthy %v, log %q", ok, logs.String())
	}
	now = now.Add(31 * time.Second)
	l.Down()
	l.Down()
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 || !strings.Contains(logs.String(), `impact="mentions go unanswered"`) {
		t.Errorf("%d errors for one outage, want 1:\n%s", n, logs.String())
	}
	ok, why := l.Healthy()
	if ok || !strings.Contains(why, "Mattermost WebSocket down since 2026-11-23T12:00:00Z") {
		t.Errorf("healthy %v %q", ok, why)
	}
	now = now.Add(time.Minute)
	l.Up()
	if ok, _ := l.Healthy(); !ok || !strings.Contains(logs.String(), "Mattermost WebSocket is back") || !strings.Contains(logs.String(), "outage=2m1s") {
		t.Errorf("after the outage: healthy %v, log:\n%s", ok, logs.String())
	}
}
