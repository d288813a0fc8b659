package schedule

import (
	"container/heap"
	"io"
	"log/slog"
	"testing"
	"time"
)

func testScheduler() *Scheduler {
	return New(kb, nil, Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func TestOlderVersionDoesNotReplaceNewerQueuedRun(t *testing.T) {
	s := testScheduler()
	s.loaded = true
	newer := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s.push(queuedRun{id: "r", at: newer, version: 3})
	s.push(queuedRun{id: "r", at: newer.Add(time.Hour), version: 2}) // a run of version 2 finishing late
	if q := s.queued["r"]; q == nil || q.version != 3 || !q.at.Equal(newer) || len(s.queue) != 1 {
		t.Fatalf("queued %+v (%d in heap), want version 3 at %s", q, len(s.queue), newer)
	}
	s.push(queuedRun{id: "r", at: newer.Add(2 * time.Hour), version: 3})
	if q := s.queued["r"]; !q.at.Equal(newer.Add(2*time.Hour)) || len(s.queue) != 1 {
		t.Errorf("the same version should replace the queued run: %+v", q)
	}
}

func TestHeapPopsRunsInTimeOrder(t *testing.T) {
	s := testScheduler()
	s.loaded = true
	base := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i, h := range []int{5, 1, 4, 2, 3} {
		s.push(queuedRun{id: string(rune('a' + i)), at: base.Add(time.Duration(h) * time.Hour)})
	}
	s.push(queuedRun{id: "a", at: base}) // a moves from last to first
	var got string
	for s.queue.Len() > 0 {
		got += heap.Pop(&s.queue).(*queuedRun).id
	}
	if got != "abdec" {
		t.Errorf("popped %s, want abdec", got)
	}
}
