package poll

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
)

// Change decides a voter's new vote from the poll and the earlier vote. It
// runs inside the store's transaction, possibly more than once, so it must
// not have side effects. An error refuses the change and keeps the earlier
// vote.
type Change func(p Poll, prev Vote) (Vote, error)

// Store keeps polls and votes durably. Package store implements it with
// bbolt. Every method is safe for concurrent use; a method that changes
// something returns only after the change is committed.
type Store interface {
	// CreatePoll stores a new poll; ErrIDTaken if its ID exists. A poll
	// whose Origin another poll has already is not stored: ErrDuplicate
	// (one poll per form submission). A poll that repeats another
	// (Repeats) is appended to that poll's RepeatedBy in the same
	// transaction; ErrNotFound when that poll is gone.
	CreatePoll(ctx context.Context, p Poll) error
	// Poll returns a poll and its tally; ErrNotFound if none.
	Poll(ctx context.Context, id string) (Poll, Tally, error)
	// Vote applies change to the vote of voter(poll) in poll id and
	// returns the poll, the tally after the change and the vote now in
	// force. When change refuses, nothing is written and its error is
	// returned with the earlier vote.
	Vote(ctx context.Context, id string, voter func(Poll) string, change Change) (Poll, Tally, Vote, error)
	// ClosePoll closes poll id if allow accepts it, and marks its result as
	// posted in the same transaction (the closer's reply carries it). A
	// poll closed already gives ErrClosed with the poll.
	ClosePoll(ctx context.Context, id string, at time.Time, allow func(Poll) error) (Poll, Tally, error)
	// CloseDue closes every poll whose deadline is at or before now and
	// whose result was not posted yet, marks the results as posted in the
	// same transaction, and returns them for posting.
	CloseDue(ctx context.Context, now time.Time) ([]Poll, []Tally, error)
	// Unposted undoes the posted mark of a closed poll whose result could
	// not be delivered, so that CloseDue returns it again from retryAt on.
	Unposted(ctx context.Context, id string, retryAt time.Time) error
	// OpenPolls lists the polls of a channel that are not closed, oldest
	// first.
	OpenPolls(ctx context.Context, where chat.Destination) ([]Poll, error)
	// Polls lists every poll that keep accepts, open or closed, with its
	// tally, oldest first. It reads every poll: it is for exports, not
	// for a path that runs with each vote.
	Polls(ctx context.Context, keep func(Poll) bool) ([]Poll, []Tally, error)
	// Votes returns every vote in poll id with its voter, in the order
	// of the voters' keys; ErrNotFound if there is no such poll.
	Votes(ctx context.Context, id string) ([]Cast, error)
	// PrunePolls deletes the polls closed before t whose result was
	// posted, with their votes and reminder records, and returns how
	// many.
	PrunePolls(ctx context.Context, t time.Time) (int, error)
	// SetPollMessage records the platform's ID of the message that shows
	// poll id, so that the poll can be redrawn there after a restart.
	SetPollMessage(ctx context.Context, id, message string) error
	// Secret is the installation's random key for anonymous voters.
	Secret(ctx context.Context) ([]byte, error)

	// UpdatePoll applies change to poll id and its tally as they are in
	// one transaction, and stores the poll as change leaves it. change
	// may run more than once and must have no side effects; when it
	// returns an error nothing is stored, and the error comes back with
	// the poll and tally as they were. The store keeps what it derives
	// from a poll in step (its deadline, its reminder's time). A change
	// of ID, Kind, Where, Created, Creator, Anon, Closed or Origin is a
	// bug: the store refuses it with an error and stores nothing.
	UpdatePoll(ctx context.Context, id string, change func(*Poll, Tally) error) (Poll, Tally, error)
	// RemindersDue returns the polls whose reminder is due at now: open
	// (not closed, deadline after now), Poll.RemindAt at or before now,
	// and Reminded false; oldest reminder first.
	RemindersDue(ctx context.Context, now time.Time) ([]Poll, error)
	// SetRoster records who was in poll id's channel when it started, by
	// their roster keys (Remindee.Key): only they are ever reminded. Keys
	// recorded before keep their state.
	SetRoster(ctx context.Context, id string, keys []string) error
	// ClaimReminders claims, in one transaction, the reminders of the
	// people who may get one at now, and returns them in the order given:
	// those in the roster, not claimed before, without a vote (by
	// Remindee.Voter), while poll id is open (not closed, deadline after
	// now). A claimed reminder is recorded and never claimed again, also
	// when it could not be delivered.
	ClaimReminders(ctx context.Context, id string, now time.Time, people []Remindee) ([]Remindee, error)
}

// Amend is the part of Store.UpdatePoll that both stores share, run in
// their transaction on the poll as stored (old, with its tally t): change
// applied to a copy of old, whose slices are cloned so that old stays as
// it was. It returns the changed poll; or the change's own error as the
// refusal, which leaves the poll as it was; or CheckUpdate's error, which
// fails the transaction.
func Amend(old Poll, t Tally, change func(*Poll, Tally) error) (next Poll, refusal, err error) {
	next = old
	next.Options = slices.Clone(old.Options)
	next.RepeatedBy = slices.Clone(old.RepeatedBy)
	if err := change(&next, t); err != nil {
		return old, err, nil
	}
	return next, nil, CheckUpdate(old, next)
}

// CloseRefusal is the rule of Store.ClosePoll that both stores apply to
// the poll as stored: a closed poll is refused with ErrClosed, any other
// as allow decides.
func CloseRefusal(p Poll, allow func(Poll) error) error {
	if p.Closed {
		return ErrClosed
	}
	return allow(p)
}

// CheckUpdate is the rule of Store.UpdatePoll that both stores apply: it
// refuses next, the poll as a change left it, when the change touched
// what never changes (ID, Kind, Where, Created, Creator, Anon, Closed,
// Origin).
func CheckUpdate(old, next Poll) error {
	switch {
	case old.ID != next.ID, old.Kind != next.Kind, old.Where != next.Where, !old.Created.Equal(next.Created),
		old.Creator != next.Creator, old.Anon != next.Anon, old.Closed != next.Closed, old.Origin != next.Origin:
		return fmt.Errorf("update poll %s: a change of its identity, anonymity or closing is not allowed here", old.ID)
	}
	return nil
}

// Remindee is a member of a poll's channel as the reminder rules know
// them: the platform's user ID, and their keys in the poll's votes and
// roster (hashed in an anonymous poll, see Service.remindee).
type Remindee struct {
	User  string `json:"-"`
	Voter string `json:"-"`
	Key   string `json:"-"`
}
