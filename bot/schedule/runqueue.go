package schedule

import "time"

// queuedRun is a run waiting in the heap.
type queuedRun struct {
	id      string
	at      time.Time // the scheduled time: the idempotency key
	retryAt time.Time // when set, when to try again (after a store error)
	version int
	late    bool // a catch-up of a missed run
	index   int
}

// due is when the run should be tried.
func (q *queuedRun) due() time.Time {
	if !q.retryAt.IsZero() {
		return q.retryAt
	}
	return q.at
}

// runQueue is a min-heap of runs by due time.
type runQueue []*queuedRun

func (h runQueue) Len() int           { return len(h) }
func (h runQueue) Less(i, j int) bool { return h[i].due().Before(h[j].due()) }
func (h runQueue) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *runQueue) Push(x any) {
	q := x.(*queuedRun)
	q.index = len(*h)
	*h = append(*h, q)
}
func (h *runQueue) Pop() any {
	old := *h
	q := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return q
}
