package bot_test

import (
	"context"
	"slices"
	"sync"

	"github.com/waardenbot/waardenbot/bot"
)

// fakeRoster is a platform's roster: members per channel, a count from
// them (or count, when set), and the private messages it was asked to
// deliver. A test can make it refuse with 429 (limitNext), fail to list
// (failList) or stop after a number of messages (stopAfter, with stop).
type fakeRoster struct {
	mu        sync.Mutex
	members   map[string][]string // channel → user IDs
	count     int                 // overrides the count of members when > 0
	noCount   bool                // the platform does not tell (ErrNoRoster)
	counts    int                 // MemberCount calls
	lists     int                 // Members calls
	sent      []privateMessage
	limitNext int   // answer the next N messages with 429
	failList  error // Members fails with it
	stopAfter int   // after this many messages, call stop (a crash)
	stop      func()
}

type privateMessage struct {
	Channel, User, Text string
}

func (r *fakeRoster) MemberCount(_ context.Context, ch bot.Destination) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts++
	if r.noCount {
		return 0, bot.ErrNoRoster
	}
	if r.count > 0 {
		return r.count, nil
	}
	return len(r.members[ch.Channel]), nil
}

func (r *fakeRoster) Members(_ context.Context, ch bot.Destination) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lists++
	if r.failList != nil {
		return nil, r.failList
	}
	return slices.Clone(r.members[ch.Channel]), nil
}

func (r *fakeRoster) PostPrivate(ctx context.Context, ch bot.Destination, user string, rep bot.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.limitNext > 0 {
		r.limitNext--
		return &bot.RateLimited{Wait: 0}
	}
	if user == "robot" {
		return bot.ErrNotAPerson
	}
	r.sent = append(r.sent, privateMessage{Channel: ch.Channel, User: user, Text: rep.Text})
	if r.stopAfter > 0 && len(r.sent) == r.stopAfter && r.stop != nil {
		r.stop()
	}
	return nil
}

// join adds users to channel, as people join it.
func (r *fakeRoster) join(channel string, users ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.members[channel] = append(r.members[channel], users...)
}

// to lists the users reminded, in order.
func (r *fakeRoster) to() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, m := range r.sent {
		out = append(out, m.User)
	}
	return out
}

func (r *fakeRoster) calls() (counts, lists int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts, r.lists
}
