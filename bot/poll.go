package bot

import (
	"context"
	"errors"
	"time"
)

// PollKind tells a value poll on a casus from a statement.
type PollKind string

// Kinds of poll.
const (
	ValuePoll     PollKind = "waarden"  // /casus: which values weigh most
	StatementPoll PollKind = "stelling" // /stelling: eens, neutraal, oneens
)

// Poll is a question put to a channel: a casus with values to choose from,
// or a statement. Only Closed, ClosedAt and ResultPosted change after it is
// created, and Message once the poll's own message is posted; votes live
// apart from it.
type Poll struct {
	ID       string       `json:"id"`
	Kind     PollKind     `json:"kind"`
	Where    Destination  `json:"where"`
	Creator  string       `json:"creator"`             // user ID, or a keyed hash in an anonymous poll
	Name     string       `json:"name,omitempty"`      // creator's readable name; empty in an anonymous poll
	Question string       `json:"question"`            // the casus or the statement, cleaned, not escaped
	Options  []PollOption `json:"options"`             // 2 to 10, keys unique
	Max      int          `json:"max"`                 // how many options one voter may pick
	Anon     bool         `json:"anonymous,omitempty"` // voters are stored as keyed hashes
	Hidden   bool         `json:"hidden,omitempty"`    // counts are shown only when closed
	Proposed bool         `json:"proposed,omitempty"`  // the bot chose the values from the text
	Created  time.Time    `json:"created"`
	ClosesAt time.Time    `json:"closes_at,omitzero"` // zero: only /sluit closes it
	Closed   bool         `json:"closed,omitempty"`
	ClosedAt time.Time    `json:"closed_at,omitzero"`
	Posted   bool         `json:"result_posted,omitempty"` // the result went to the channel
	Message  string       `json:"message,omitempty"`       // the poll's own message on its platform (Slack ts, Mattermost post ID)
}

// PollOption is one choice in a poll: a value (on the Waardenkaart or not) or
// eens, neutraal, oneens.
type PollOption struct {
	Key     string `json:"key"`               // what /stem and buttons use: "privacy"
	Label   string `json:"label"`             // what users read: "Privacy"
	Cluster string `json:"cluster,omitempty"` // the value's cluster on the Waardenkaart
	OnMap   bool   `json:"on_map,omitempty"`  // the value is on the Waardenkaart
}

// Vote is one voter's current choice in a poll. An empty vote is no vote.
type Vote struct {
	Choices []string  `json:"choices"` // option keys, in the poll's order
	At      time.Time `json:"at"`
}

// Tally counts the votes of a poll: votes per option key and the number of
// people with a vote.
type Tally struct {
	Votes  map[string]int `json:"votes"`
	Voters int            `json:"voters"`
}

// isClosed reports whether no more votes count: closed by hand or past its
// deadline, even before the deadline loop has noticed.
func (p *Poll) isClosed(now time.Time) bool {
	return p.Closed || (!p.ClosesAt.IsZero() && !now.Before(p.ClosesAt))
}

func (p *Poll) option(key string) (PollOption, bool) {
	for _, o := range p.Options {
		if o.Key == key {
			return o, true
		}
	}
	return PollOption{}, false
}

// Errors of poll operations, for callers that branch on them.
var (
	ErrNoPolls        = errors.New("polls are not configured")
	ErrPollNotFound   = errors.New("poll not found")
	ErrPollIDTaken    = errors.New("poll ID already in use")
	ErrPollClosed     = errors.New("poll is closed")
	ErrOtherChannel   = errors.New("poll belongs to another channel")
	ErrTooManyChoices = errors.New("more choices than the poll allows")
	ErrUnknownOption  = errors.New("not an option of the poll")
	ErrNotAllowed     = errors.New("only the creator or an admin may do this")
	ErrBadPoll        = errors.New("poll text or settings refused")
)

// Change decides a voter's new vote from the poll and the earlier vote. It
// runs inside the store's transaction, possibly more than once, so it must
// not have side effects. An error refuses the change and keeps the earlier
// vote.
type Change func(p Poll, prev Vote) (Vote, error)

// PollStore keeps polls and votes durably. Package store implements it with
// bbolt. Every method is safe for concurrent use; a method that changes
// something returns only after the change is committed.
type PollStore interface {
	// CreatePoll stores a new poll; ErrPollIDTaken if its ID exists.
	CreatePoll(ctx context.Context, p Poll) error
	// Poll returns a poll and its tally; ErrPollNotFound if none.
	Poll(ctx context.Context, id string) (Poll, Tally, error)
	// Vote applies change to the vote of voter(poll) in poll id and
	// returns the poll, the tally after the change and the vote now in
	// force. When change refuses, nothing is written and its error is
	// returned with the earlier vote.
	Vote(ctx context.Context, id string, voter func(Poll) string, change Change) (Poll, Tally, Vote, error)
	// ClosePoll closes poll id if allow accepts it, and marks its result as
	// posted in the same transaction (the closer's reply carries it). A
	// poll closed already gives ErrPollClosed with the poll.
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
	OpenPolls(ctx context.Context, where Destination) ([]Poll, error)
	// PrunePolls deletes the polls closed before t whose result was
	// posted, with their votes, and returns how many.
	PrunePolls(ctx context.Context, t time.Time) (int, error)
	// SetPollMessage records the platform's ID of the message that shows
	// poll id, so that the poll can be redrawn there after a restart.
	SetPollMessage(ctx context.Context, id, message string) error
	// Secret is the installation's random key for anonymous voters.
	Secret(ctx context.Context) ([]byte, error)
}

// WithPolls lets the bot run polls kept in s. Without it the poll commands
// say that polls are not available.
func WithPolls(s PollStore) Option { return func(b *Bot) { b.polls = s } }
