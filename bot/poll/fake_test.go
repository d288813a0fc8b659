package poll

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/knowledge"
)

var kb = knowledge.MustLoad()

// memStore is a Store in memory, as package store keeps its promises:
// changes under one lock, a refused change writes nothing.
type memStore struct {
	mu     sync.Mutex
	polls  map[string]Poll
	tally  map[string]Tally
	votes  map[string]map[string]Vote // poll ID → voter → vote
	due    map[string]time.Time       // poll ID → when its result is due
	secret []byte
	fail   error                      // every call fails with it, when set
	roster map[string]map[string]bool // poll ID → roster key → claimed
	t      testing.TB                 // fails a change the store would refuse
}

func newMemStore() *memStore {
	return &memStore{polls: map[string]Poll{}, tally: map[string]Tally{}, votes: map[string]map[string]Vote{},
		due: map[string]time.Time{}, secret: bytes.Repeat([]byte{7}, 32)}
}

var _ Store = (*memStore)(nil)

func (m *memStore) CreatePoll(_ context.Context, p Poll) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if _, ok := m.polls[p.ID]; ok {
		return ErrIDTaken
	}
	for _, q := range m.polls {
		if p.Origin != "" && q.Origin == p.Origin {
			return ErrDuplicate
		}
	}
	if p.Repeats != "" {
		first, ok := m.polls[p.Repeats]
		if !ok {
			return ErrNotFound
		}
		first.RepeatedBy = append(slices.Clone(first.RepeatedBy), p.ID)
		m.polls[first.ID] = first
	}
	m.polls[p.ID], m.tally[p.ID], m.votes[p.ID] = p, Tally{Votes: map[string]int{}}, map[string]Vote{}
	if !p.ClosesAt.IsZero() && !p.Posted {
		m.due[p.ID] = p.ClosesAt
	}
	return nil
}

func (m *memStore) load(id string) (Poll, Tally, error) {
	p, ok := m.polls[id]
	if !ok {
		return Poll{}, Tally{}, ErrNotFound
	}
	t := m.tally[id]
	return p, Tally{Votes: maps.Clone(t.Votes), Voters: t.Voters}, nil
}

func (m *memStore) Poll(_ context.Context, id string) (Poll, Tally, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return Poll{}, Tally{}, m.fail
	}
	return m.load(id)
}

func (m *memStore) Vote(_ context.Context, id string, voter func(Poll) string, change Change) (Poll, Tally, Vote, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return Poll{}, Tally{}, Vote{}, m.fail
	}
	p, t, err := m.load(id)
	if err != nil {
		return p, t, Vote{}, err
	}
	who := voter(p)
	prev := m.votes[id][who]
	next, err := change(p, prev)
	if err != nil {
		return p, t, prev, err
	}
	t.Apply(prev, next)
	if len(next.Choices) == 0 {
		delete(m.votes[id], who)
	} else {
		m.votes[id][who] = next
	}
	m.tally[id] = Tally{Votes: maps.Clone(t.Votes), Voters: t.Voters}
	return p, t, next, nil
}

func (m *memStore) close(p *Poll, at time.Time) {
	if !p.Closed {
		p.Closed, p.ClosedAt = true, at
	}
	p.Posted = true
	delete(m.due, p.ID)
	m.polls[p.ID] = *p
}

func (m *memStore) ClosePoll(_ context.Context, id string, at time.Time, allow func(Poll) error) (Poll, Tally, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return Poll{}, Tally{}, m.fail
	}
	p, t, err := m.load(id)
	switch {
	case err != nil:
		return p, t, err
	case p.Closed:
		return p, t, ErrClosed
	}
	if err := allow(p); err != nil {
		return p, t, err
	}
	m.close(&p, at)
	return p, t, nil
}

func (m *memStore) CloseDue(_ context.Context, now time.Time) ([]Poll, []Tally, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, nil, m.fail
	}
	var ids []string
	for id, at := range m.due {
		if !at.After(now) {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return m.due[a].Compare(m.due[b]) })
	var polls []Poll
	var tallies []Tally
	for _, id := range ids {
		p, t, _ := m.load(id)
		delete(m.due, id)
		if p.Posted {
			continue
		}
		at := p.ClosesAt
		if at.IsZero() || at.After(now) {
			at = now
		}
		m.close(&p, at)
		polls, tallies = append(polls, p), append(tallies, t)
	}
	return polls, tallies, nil
}

func (m *memStore) Unposted(_ context.Context, id string, retryAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.polls[id]
	if !ok {
		return ErrNotFound
	}
	p.Posted = false
	m.polls[id], m.due[id] = p, retryAt
	return nil
}

func (m *memStore) OpenPolls(_ context.Context, where chat.Destination) ([]Poll, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	var out []Poll
	for _, p := range m.polls {
		if p.Where == where && !p.Closed {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Poll) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func (m *memStore) PrunePolls(_ context.Context, t time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id, p := range m.polls {
		if p.Closed && p.Posted && p.ClosedAt.Before(t) {
			delete(m.polls, id)
			delete(m.tally, id)
			delete(m.votes, id)
			n++
		}
	}
	return n, nil
}

func (m *memStore) SetPollMessage(_ context.Context, id, message string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.polls[id]
	if !ok {
		return ErrNotFound
	}
	p.Message = message
	m.polls[id] = p
	return nil
}

func (m *memStore) Secret(context.Context) ([]byte, error) { return bytes.Clone(m.secret), nil }

// clock is a fake clock that tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var amsterdam, _ = time.LoadLocation("Europe/Amsterdam")

// fixture is a service on a memStore with a fake clock.
type fixture struct {
	t     *testing.T
	st    *memStore
	clock *clock
	svc   *Service
}

func newFixture(t *testing.T) *fixture {
	st := newMemStore()
	c := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, amsterdam)}
	st.t = t
	return &fixture{t: t, st: st, clock: c, svc: NewService(st, kb, c.Now, amsterdam)}
}

// in is a person in channel c1, or in another channel.
func in(user string, channel ...string) Person {
	ch := "c1"
	if len(channel) > 0 {
		ch = channel[0]
	}
	return Person{Where: chat.Destination{Platform: "console", Team: "T1", Channel: ch}, User: user, Name: "Naam " + user}
}

// create starts a poll of kind as anna in c1 and fails the test if it
// cannot.
func (f *fixture) create(kind Kind, args string) Poll {
	f.t.Helper()
	p, err := f.svc.Create(context.Background(), in("anna"), kind, args)
	if err != nil {
		f.t.Fatalf("create %q: %v", args, err)
	}
	return p
}

// refusal returns the refusal in err, and fails the test if there is none.
func refusal(t *testing.T, err error) *Refusal {
	t.Helper()
	r, ok := err.(*Refusal)
	if !ok {
		t.Fatalf("want a *Refusal, got %v", err)
	}
	return r
}

func (m *memStore) UpdatePoll(_ context.Context, id string, change func(*Poll, Tally) error) (Poll, Tally, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return Poll{}, Tally{}, m.fail
	}
	p, t, err := m.load(id)
	if err != nil {
		return p, t, err
	}
	next := p
	next.Options = slices.Clone(p.Options)
	if err := change(&next, t); err != nil {
		return p, t, err
	}
	if next.Anon != p.Anon || next.Closed != p.Closed {
		m.t.Fatalf("UpdatePoll changed anonymity or closing of %s", id)
	}
	if !next.ClosesAt.Equal(p.ClosesAt) && !p.Posted {
		m.due[id] = next.ClosesAt
	}
	m.polls[id] = next
	return next, t, nil
}

func (m *memStore) RemindersDue(_ context.Context, now time.Time) ([]Poll, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Poll
	for _, p := range m.polls {
		if at := p.RemindAt(); !at.IsZero() && !at.After(now) && !p.Reminded && !p.Closed && p.ClosesAt.After(now) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Poll) int { return a.RemindAt().Compare(b.RemindAt()) })
	return out, nil
}

func (m *memStore) SetRoster(_ context.Context, id string, keys []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.roster == nil {
		m.roster = map[string]map[string]bool{}
	}
	if m.roster[id] == nil {
		m.roster[id] = map[string]bool{}
	}
	for _, k := range keys {
		if _, ok := m.roster[id][k]; !ok {
			m.roster[id][k] = false
		}
	}
	return nil
}

func (m *memStore) ClaimReminders(_ context.Context, id string, now time.Time, people []Remindee) ([]Remindee, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.polls[id]
	if !ok {
		return nil, ErrNotFound
	}
	if p.Closed || !p.ClosesAt.After(now) {
		return nil, nil
	}
	var out []Remindee
	for _, r := range people {
		claimed, on := m.roster[id][r.Key]
		if !on || claimed {
			continue
		}
		if _, voted := m.votes[id][r.Voter]; voted {
			continue
		}
		m.roster[id][r.Key] = true
		out = append(out, r)
	}
	return out, nil
}

func (m *memStore) Polls(_ context.Context, keep func(Poll) bool) ([]Poll, []Tally, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, nil, m.fail
	}
	var polls []Poll
	for _, p := range m.polls {
		if keep(p) {
			polls = append(polls, p)
		}
	}
	slices.SortFunc(polls, func(a, b Poll) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	tallies := make([]Tally, len(polls))
	for i, p := range polls {
		_, tallies[i], _ = m.load(p.ID)
	}
	return polls, tallies, nil
}

func (m *memStore) Votes(_ context.Context, id string) ([]Cast, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	if _, ok := m.polls[id]; !ok {
		return nil, ErrNotFound
	}
	var out []Cast
	for _, voter := range slices.Sorted(maps.Keys(m.votes[id])) {
		out = append(out, Cast{Voter: voter, Vote: m.votes[id][voter]})
	}
	return out, nil
}
