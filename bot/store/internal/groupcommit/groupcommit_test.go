package groupcommit

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// TestRequestsWaitingTogetherCommitTogether: requests that wait while the
// committer is busy are committed together, in order, within the maximum;
// every caller gets its own result or the group's error; Close commits
// what is waiting and refuses what comes after.
func TestRequestsWaitingTogetherCommitTogether(t *testing.T) {
	busy := make(chan struct{})
	var mu sync.Mutex
	var groups [][]string
	failed := errors.New("disk full")
	q := Start(3, func(group []*Request) {
		if group[0].ID == "first" {
			<-busy // hold the committer until the others wait
		}
		mu.Lock()
		var ids []string
		for _, r := range group {
			ids = append(ids, r.ID)
		}
		groups = append(groups, ids)
		mu.Unlock()
		for _, r := range group {
			r.Res = Result{Vote: poll.Vote{Choices: []string{r.ID}}}
			if r.ID == "e" {
				r.Send(failed)
				continue
			}
			r.Send(nil)
		}
	})
	first := NewRequest("first", nil, nil)
	if !q.Add(first) {
		t.Fatal("an open queue refused a request")
	}
	var rest []*Request
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		r := NewRequest(id, nil, nil)
		rest = append(rest, r)
		if !q.Add(r) {
			t.Fatalf("an open queue refused %s", id)
		}
	}
	close(busy)
	for _, r := range append([]*Request{first}, rest...) {
		_, _, v, err := r.Wait()
		switch {
		case r.ID == "e" && !errors.Is(err, failed):
			t.Errorf("%s: error %v, want the commit's", r.ID, err)
		case r.ID != "e" && (err != nil || len(v.Choices) != 1 || v.Choices[0] != r.ID):
			t.Errorf("%s: vote %v, error %v", r.ID, v, err)
		}
	}
	q.Close()
	q.Close() // a second Close returns at once
	if q.Add(NewRequest("late", nil, nil)) {
		t.Error("a closed queue took a request")
	}
	mu.Lock()
	defer mu.Unlock()
	var order []string
	for _, g := range groups {
		if len(g) == 0 || len(g) > 3 {
			t.Errorf("group %v: want 1 to 3 requests", g)
		}
		order = append(order, g...)
	}
	if len(groups) < 2 || strings.Join(order, " ") != "first a b c d e" {
		t.Errorf("groups %v: want the requests in order, in at least two groups of at most 3", groups)
	}
}
