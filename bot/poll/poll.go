package poll

import (
	"errors"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
)

// Kind tells a value poll on a casus from a statement.
type Kind string

// Kinds of poll. The values are stored in the data file.
const (
	Values    Kind = "waarden"  // /casus: which values weigh most
	Statement Kind = "stelling" // /stelling: eens, neutraal, oneens
)

// Poll is a question put to a channel: a casus with values to choose from,
// or a statement. After it is created, Closed, ClosedAt and Posted change
// when it closes, Message once the poll's own message is posted,
// RepeatedBy when it is repeated and Reminded when its reminders are done;
// its creator may correct it (Service.Change) and people may add values
// (Service.AddOption) under the rules of those methods. Anon never
// changes. Votes live apart from it. Its JSON is the data file's format;
// fields added later are omitted when empty, so older files read as
// before.
type Poll struct {
	ID       string           `json:"id"`
	Kind     Kind             `json:"kind"`
	Where    chat.Destination `json:"where"`
	Creator  string           `json:"creator"`             // user ID, or a keyed hash in an anonymous poll
	Name     string           `json:"name,omitempty"`      // creator's readable name; empty in an anonymous poll
	Question string           `json:"question"`            // the casus or the statement, cleaned, not escaped
	Options  []Option         `json:"options"`             // 2 to 10, keys unique
	Max      int              `json:"max"`                 // how many options one voter may pick
	Anon     bool             `json:"anonymous,omitempty"` // voters are stored as keyed hashes
	Hidden   bool             `json:"hidden,omitempty"`    // counts are shown only when closed
	Proposed bool             `json:"proposed,omitempty"`  // the bot chose the values from the text
	Created  time.Time        `json:"created"`
	ClosesAt time.Time        `json:"closes_at,omitzero"` // zero: only /sluit closes it
	Closed   bool             `json:"closed,omitempty"`
	ClosedAt time.Time        `json:"closed_at,omitzero"`
	Posted   bool             `json:"result_posted,omitempty"` // the result went to the channel
	Message  string           `json:"message,omitempty"`       // the poll's own message on its platform (Slack ts, Mattermost post ID)

	// Added with issue 13.
	RemindBefore time.Duration `json:"remind_before,omitempty"` // herinnering=: how long before ClosesAt non-voters are reminded
	Reminded     bool          `json:"reminded,omitempty"`      // the reminders are done
	Open         bool          `json:"open,omitempty"`          // aanvullen: anyone in the channel may add a value
	Repeats      string        `json:"repeats,omitempty"`       // the ID of the poll this one repeats (/casus opnieuw)
	RepeatedBy   []string      `json:"repeated_by,omitempty"`   // the IDs of the polls that repeat this one, oldest first
	Origin       string        `json:"origin,omitempty"`        // the form submission that created it: one poll per origin
}

// Option is one choice in a poll: a value (on the Waardenkaart or not) or
// eens, neutraal, oneens.
type Option struct {
	Key     string `json:"key"`                // what /stem and buttons use: "privacy"
	Label   string `json:"label"`              // what users read: "Privacy"
	Cluster string `json:"cluster,omitempty"`  // the value's cluster on the Waardenkaart
	OnMap   bool   `json:"on_map,omitempty"`   // the value is on the Waardenkaart
	Added   bool   `json:"added,omitempty"`    // added after the poll started (/optie)
	AddedBy string `json:"added_by,omitempty"` // who added it, readable; empty in an anonymous poll
}

// Vote is one voter's current choice in a poll. An empty vote is no vote.
type Vote struct {
	Choices []string  `json:"choices"` // option keys, in the poll's order
	At      time.Time `json:"at"`
	// Name is the voter's readable name when the vote was cast, kept
	// for the creator's export of who voted what; never in an anonymous
	// poll. Votes cast before it was kept have none.
	Name string `json:"name,omitempty"`
}

// Cast is a vote with its voter as the store knows them: the platform's
// user ID, or in an anonymous poll a keyed hash.
type Cast struct {
	Voter string
	Vote  Vote
}

// Tally counts the votes of a poll: votes per option key and the number of
// people with a vote.
type Tally struct {
	Votes  map[string]int `json:"votes"`
	Voters int            `json:"voters"`
}

// Apply counts a voter's new vote next in place of their earlier vote
// prev (either may be empty: no vote).
func (t *Tally) Apply(prev, next Vote) {
	for _, k := range prev.Choices {
		t.Votes[k]--
	}
	for _, k := range next.Choices {
		t.Votes[k]++
	}
	switch {
	case len(prev.Choices) == 0 && len(next.Choices) > 0:
		t.Voters++
	case len(prev.Choices) > 0 && len(next.Choices) == 0:
		t.Voters--
	}
}

// IsClosed reports whether no more votes count at now: closed by hand or
// past its deadline, even before the deadline loop has noticed.
func (p *Poll) IsClosed(now time.Time) bool {
	return p.Closed || (!p.ClosesAt.IsZero() && !now.Before(p.ClosesAt))
}

// CountsShown reports whether the counts of p may be shown at now: always,
// unless the poll hides them until it closes.
func (p *Poll) CountsShown(now time.Time) bool { return !p.Hidden || p.IsClosed(now) }

// RemindAt is when the poll's non-voters are reminded: RemindBefore
// before its deadline; zero when it has no reminder.
func (p *Poll) RemindAt() time.Time {
	if p.RemindBefore <= 0 || p.ClosesAt.IsZero() {
		return time.Time{}
	}
	return p.ClosesAt.Add(-p.RemindBefore)
}

// AwaitsReminder reports whether p's reminder is still to come: it has
// one (RemindAt), its reminders are not done, and it is not closed. A
// Store keeps these polls in the index that RemindersDue reads.
func (p *Poll) AwaitsReminder() bool {
	return !p.RemindAt().IsZero() && !p.Reminded && !p.Closed
}

// Option returns the option with key.
func (p *Poll) Option(key string) (Option, bool) {
	for _, o := range p.Options {
		if o.Key == key {
			return o, true
		}
	}
	return Option{}, false
}

// Errors of poll operations, for callers that branch on them with
// errors.Is. A *Refusal wraps the one that applies.
var (
	ErrNotFound       = errors.New("poll not found")
	ErrIDTaken        = errors.New("poll ID already in use")
	ErrClosed         = errors.New("poll is closed")
	ErrOtherChannel   = errors.New("poll belongs to another channel")
	ErrTooManyChoices = errors.New("more choices than the poll allows")
	ErrUnknownOption  = errors.New("not an option of the poll")
	ErrNotAllowed     = errors.New("only the creator or an admin may do this")
	ErrBadInput       = errors.New("poll text or settings refused")
	ErrVoted          = errors.New("the poll has votes already")
	ErrAnonymity      = errors.New("anonymity never changes after a poll is posted")
	ErrDuplicate      = errors.New("already there")
	ErrNotMember      = errors.New("not a member of the poll's channel")
	ErrAnonymous      = errors.New("the poll is anonymous")
	ErrCountsHidden   = errors.New("the poll hides its counts until it closes")
)
