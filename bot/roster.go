package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// A Roster is what a platform tells the bot about the people in a
// channel, and how the bot reaches one of them privately. Each adapter
// implements it for its platform; the bot uses it for the participation
// line of a poll ("7 van 11 kanaalleden hebben gestemd") and for the
// reminders to those who have not voted. Register them by platform with
// UseRosters, as Posters are given to Run.
type Roster interface {
	// MemberCount returns how many people are in the channel, the bot
	// itself and other bots not counted as far as the platform tells, in
	// one platform call however large the channel. ErrNoRoster when the
	// platform cannot tell (a scope missing, no such call): the bot then
	// leaves the count out rather than guess.
	MemberCount(ctx context.Context, ch Destination) (int, error)

	// Members returns the user IDs of the people in the channel, the bot
	// itself and bots the platform marks as such left out.
	Members(ctx context.Context, ch Destination) ([]string, error)

	// PostPrivate shows r to user alone: as an ephemeral message in ch
	// where the platform can show one to that user, else as a direct
	// message. Never a post the channel sees. ErrNotAPerson when user
	// turns out to be a bot or a deactivated account (nothing is sent);
	// a *RateLimited when the platform asks to wait.
	PostPrivate(ctx context.Context, ch Destination, user string, r Reply) error
}

// Errors a Roster returns.
var (
	ErrNoRoster   = errors.New("the platform does not tell who is in a channel")
	ErrNotAPerson = errors.New("not a person: a bot or a deactivated account")
)

// RateLimited is the error of a platform call that the platform refused
// for now (HTTP 429): try again after Wait.
type RateLimited struct {
	Wait time.Duration
	Err  error
}

func (e *RateLimited) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %v", e.Wait, e.Err)
}

func (e *RateLimited) Unwrap() error { return e.Err }

// Rosters is a Roster for each platform: Rosters{"slack": s,
// "mattermost": m}. A platform without one has no member counts and no
// reminders.
type Rosters map[string]Roster

// MemberCount implements Roster.
func (r Rosters) MemberCount(ctx context.Context, ch Destination) (int, error) {
	if x, ok := r[ch.Platform]; ok {
		return x.MemberCount(ctx, ch)
	}
	return 0, ErrNoRoster
}

// Members implements Roster.
func (r Rosters) Members(ctx context.Context, ch Destination) ([]string, error) {
	if x, ok := r[ch.Platform]; ok {
		return x.Members(ctx, ch)
	}
	return nil, ErrNoRoster
}

// PostPrivate implements Roster.
func (r Rosters) PostPrivate(ctx context.Context, ch Destination, user string, rep Reply) error {
	if x, ok := r[ch.Platform]; ok {
		return x.PostPrivate(ctx, ch, user, rep)
	}
	return ErrNoRoster
}

// has reports whether the platform of ch has a roster.
func (r Rosters) has(ch Destination) bool {
	_, ok := r[ch.Platform]
	return ok
}

// UseRosters gives the bot the adapters' rosters. Call it once the
// adapters are built and before they serve (cmd/waardenbot does it with
// the Posters); a bot without rosters leaves participation out and sends
// no reminders.
func (b *Bot) UseRosters(r Rosters) { b.rosters.Store(&r) }

// roster is the bot's rosters, or none.
func (b *Bot) roster() Rosters {
	if r := b.rosters.Load(); r != nil {
		return *r
	}
	return nil
}

// How long the bot keeps a channel's member count: a minute, so that a
// burst of votes and redraws asks the platform once, and a count that
// could not be had for ten seconds.
const (
	countTTL       = time.Minute
	countFailedTTL = 10 * time.Second
	maxCounts      = 10000
)

// memberCounts keeps channels' member counts for a short while.
type memberCounts struct {
	mu   sync.Mutex
	seen map[Destination]countAnswer
}

type countAnswer struct {
	n   int
	ok  bool
	at  time.Time
	ttl time.Duration
}

// memberCount is the number of people in ch, from the platform (through
// the roster) or from the last minute; ok is false when the platform
// does not tell, and the count is then left out.
func (b *Bot) memberCount(ctx context.Context, ch Destination) (n int, ok bool) {
	r := b.roster()
	if !r.has(ch) {
		return 0, false
	}
	now := b.now()
	c := &b.counts
	c.mu.Lock()
	got, found := c.seen[ch]
	c.mu.Unlock()
	if found && now.Sub(got.at) < got.ttl {
		return got.n, got.ok
	}
	n, err := r.MemberCount(ctx, ch)
	ans := countAnswer{n: n, ok: err == nil, at: now, ttl: countTTL}
	if err != nil {
		ans.ttl = countFailedTTL
		if !errors.Is(err, ErrNoRoster) && ctx.Err() == nil {
			b.log.Warn("channel member count not known; the poll says how many voted, not of how many", "platform", ch.Platform, "channel", ch.Channel, "err", err)
		}
	}
	c.mu.Lock()
	if c.seen == nil || len(c.seen) >= maxCounts {
		c.seen = map[Destination]countAnswer{}
	}
	c.seen[ch] = ans
	c.mu.Unlock()
	return ans.n, ans.ok
}
