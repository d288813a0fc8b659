// Package testkit holds the helpers that waardenbot's tests share, so that
// each exists once: a buffer a logger and a test may share, waiting for a
// condition with a deadline, a fake clock, and golden files with one
// -update flag. Only tests import it.
//
// Golden files: a test compares what it made with a file under testdata/
// (Golden), and `go test ./… -update` rewrites every golden file and
// generated file (the Slack manifest, the prebuilt knowledge base) instead
// of comparing; check the diff before committing.
package testkit

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden and generated files instead of comparing with them")

// Updating reports whether the tests run with -update: a test that
// generates a file then writes it instead of comparing.
func Updating() bool { return *update }

// Golden compares got with the file at path (usually under testdata/), or
// with -update writes got there. A difference fails the test and shows both.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it; check the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// Buffer is a bytes.Buffer that a logger writing from other goroutines and
// a test reading it may share.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String is what has been written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Patience is how long WaitFor waits: long enough for a loaded CI machine,
// short enough that a test that cannot pass fails soon.
const Patience = 5 * time.Second

// WaitFor waits until cond holds, looking every few milliseconds, and fails
// the test naming what it waited for when Patience passes first. It is for
// state that another goroutine changes; a test that can wait on a channel
// should.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", Patience, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Clock is a fake clock that tests set and move; its Now is what the code
// under test reads (bot.WithClock(c.Now)). It is safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock that shows t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the time the clock shows.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set makes the clock show t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Add moves the clock on by d and returns the new time.
func (c *Clock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}
