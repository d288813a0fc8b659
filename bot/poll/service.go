package poll

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
	"github.com/waardenbot/waardenbot/knowledge"
)

// Service runs polls kept in a Store: it creates them, takes votes, closes
// them and says what the votes mean. It is safe for concurrent use.
type Service struct {
	st     Store
	kb     *knowledge.Base
	now    func() time.Time
	loc    *time.Location
	labels [3]string                   // of a new statement's options: eens, neutraal, oneens
	remind func(chat.Destination) bool // whether reminders can reach a channel; nil: always

	secretMu sync.Mutex // guards hmacKey
	hmacKey  []byte     // the store's secret, read once
}

// ServiceOption changes an optional part of a Service.
type ServiceOption func(*Service)

// WithStatementLabels sets what a new statement's options say, in the
// bot's language; by default they say their keys, eens, neutraal and
// oneens. The labels are stored with the poll.
func WithStatementLabels(agree, neutral, disagree string) ServiceOption {
	return func(s *Service) { s.labels = [3]string{agree, neutral, disagree} }
}

// WithReminders says in which channels reminders can reach people (where
// the platform tells who is in a channel and can message them privately):
// herinnering= is refused elsewhere. By default everywhere.
func WithReminders(can func(chat.Destination) bool) ServiceOption {
	return func(s *Service) { s.remind = can }
}

// NewService returns a service that keeps polls in st, finds values in kb,
// reads the time from now and the dates users type (tot=) on the wall
// clock of loc.
func NewService(st Store, kb *knowledge.Base, now func() time.Time, loc *time.Location, opts ...ServiceOption) *Service {
	s := &Service{st: st, kb: kb, now: now, loc: loc, labels: [3]string{"eens", "neutraal", "oneens"}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Person is who makes a request: where they are and who they are there.
type Person struct {
	Where chat.Destination // the platform, team and channel of the request
	User  string           // the platform's user ID; a name where the platform has no IDs
	Name  string           // a readable name, kept with a poll that is not anonymous
}

// Create starts a poll of kind in who's channel from what follows the
// command: settings, then the text, and for a value poll optionally
// "| value, value, …" (without it the values most at stake in the text
// are proposed). A *Refusal says what is wrong with the input.
func (s *Service) Create(ctx context.Context, who Person, kind Kind, args string) (Poll, error) {
	set, text, err := parseSettings(args, s.now(), s.loc)
	if err != nil {
		return Poll{}, err
	}
	list, hasList := "", false
	if kind == Values {
		text, list, hasList = cutLast(text, "|")
	}
	return s.create(ctx, who, kind, set, text, list, hasList, "")
}

// Form is a poll as a form has it: the settings, the text and the values
// apart, so that a "|" in the text stays text and a setting word at its
// start stays a word.
type Form struct {
	Settings string // as typed before a text: "anoniem max=2 duur=2d"
	Text     string // the casus or statement
	Values   string // "privacy, gelijkheid"; empty: the bot proposes them
}

// CreateFrom starts a poll of kind from a form, with the same parser and
// checks as Create. origin names the form's submission: a second poll
// from the same origin is not created, and the error is ErrDuplicate,
// so a form submitted twice makes one poll.
func (s *Service) CreateFrom(ctx context.Context, who Person, kind Kind, f Form, origin string) (Poll, error) {
	set, rest, err := parseSettings(f.Settings, s.now(), s.loc)
	if err != nil {
		return Poll{}, err
	}
	if rest != "" {
		return Poll{}, badInput("poll.bad_setting", Echo{rest, 30})
	}
	list := strings.TrimSpace(f.Values)
	return s.create(ctx, who, kind, set, strings.TrimSpace(f.Text), list, list != "" && kind == Values, origin)
}

// create builds a poll of kind from parsed input, checks it and stores it.
func (s *Service) create(ctx context.Context, who Person, kind Kind, set settings, text, list string, hasList bool, origin string) (Poll, error) {
	p := Poll{Kind: kind, Max: 1}
	switch kind {
	case Values:
		if err := checkText(text); err != nil {
			return Poll{}, err
		}
		p.Max = defaultMax
		if hasList {
			p.Options = valueOptions(s.kb, list)
		} else {
			p.Options, p.Proposed = proposedOptions(s.kb, text), true
		}
		if err := checkOptions(len(p.Options), p.Proposed); err != nil {
			return Poll{}, err
		}
	case Statement:
		if set.max > 0 {
			return Poll{}, badInput("poll.stelling_max")
		}
		if err := checkText(text); err != nil {
			return Poll{}, err
		}
		p.Options = statementOptions(s.labels)
	default:
		return Poll{}, fmt.Errorf("create poll: unknown kind %q", kind)
	}
	p.Where, p.Question, p.Origin = who.Where, text, origin
	if err := s.apply(&p, set); err != nil {
		return Poll{}, err
	}
	if err := s.store(ctx, &p, who); err != nil {
		return Poll{}, err
	}
	return p, nil
}

// checkOptions refuses fewer than two or more than ten options.
func checkOptions(n int, proposed bool) error {
	switch {
	case n < minOptions && proposed:
		return badInput("poll.none_proposed", minOptions)
	case n < minOptions:
		return badInput("poll.few_options", n, minOptions)
	case n > maxOptions:
		return badInput("poll.many_options", n, maxOptions)
	}
	return nil
}

// apply puts the settings of a new poll in p, which has its kind and
// options: whether it is anonymous, hidden and open to additions, its
// maximum, deadline and reminder. It refuses what does not fit the kind
// and a reminder without a deadline or before now.
func (s *Service) apply(p *Poll, set settings) error {
	if set.max > 0 {
		if p.Kind == Statement {
			return badInput("poll.stelling_max")
		}
		p.Max = set.max
	}
	if set.open && p.Kind == Statement {
		return badInput("poll.stelling_open")
	}
	p.Anon, p.Hidden, p.Open, p.ClosesAt = set.anon, set.hidden, set.open, set.closesAt
	if set.remind > 0 {
		if s.remind != nil && !s.remind(p.Where) {
			return badInput("poll.remind_unsupported")
		}
		if set.closesAt.IsZero() {
			return badInput("poll.remind_no_deadline")
		}
		if !set.closesAt.Add(-set.remind).After(s.now()) {
			return badInput("poll.remind_early", set.closesAt)
		}
		p.RemindBefore = set.remind
	}
	return nil
}

// store stores p, made now by who, under a fresh ID: four characters
// while they are free, then five, then six.
func (s *Service) store(ctx context.Context, p *Poll, who Person) error {
	p.Created = s.now()
	if !p.Anon {
		p.Name = who.Name
	}
	for attempt := 0; attempt < 15; attempt++ {
		p.ID = NewID(4 + attempt/5)
		creator, err := s.personKey(ctx, *p, who, roleCreator)
		if err != nil {
			return err
		}
		p.Creator = creator
		err = s.st.CreatePoll(ctx, *p)
		if !errors.Is(err, ErrIDTaken) {
			return err
		}
	}
	return fmt.Errorf("create poll: no free ID after 15 attempts")
}

// Get returns poll id and its tally, wherever it is; a *Refusal wrapping
// ErrNotFound if there is none.
func (s *Service) Get(ctx context.Context, id string) (Poll, Tally, error) {
	id = NormalizeID(id)
	p, t, err := s.st.Poll(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return p, t, notFound(id)
	}
	return p, t, err
}

// Show returns poll id and its tally for someone in where: anyone in the
// poll's channel may see it, nobody elsewhere.
func (s *Service) Show(ctx context.Context, where chat.Destination, id string) (Poll, Tally, error) {
	p, t, err := s.Get(ctx, id)
	if err == nil && p.Where != where {
		return p, t, refuse(ErrOtherChannel, "poll.other_channel", p.ID)
	}
	return p, t, err
}

func notFound(id string) error {
	return refuse(ErrNotFound, "poll.not_found", Echo{id, 10})
}

// Open lists the polls of where that take votes now, oldest first.
func (s *Service) Open(ctx context.Context, where chat.Destination) ([]Poll, error) {
	polls, err := s.st.OpenPolls(ctx, where)
	if err != nil {
		return nil, err
	}
	now := s.now()
	open := polls[:0]
	for _, p := range polls {
		if !p.IsClosed(now) {
			open = append(open, p)
		}
	}
	return open, nil
}

// Close closes poll id for who: the poll's creator may, and an admin. admin
// says whether who is known to be one (the bot's configuration); ask, if
// not nil, asks the platform, and is called only when that matters (who
// neither started the poll nor is a known admin), outside the store's
// transaction. A poll closed already gives a *Refusal wrapping ErrClosed,
// with the poll.
func (s *Service) Close(ctx context.Context, who Person, id string, admin bool, ask func(context.Context) bool) (Poll, Tally, error) {
	id = NormalizeID(id)
	creator, err := s.keyOf(ctx, id, who, roleCreator)
	if err != nil {
		return Poll{}, Tally{}, err
	}
	closeAs := func(admin bool) (Poll, Tally, error) {
		return s.st.ClosePoll(ctx, id, s.now(), func(p Poll) error {
			switch {
			case p.Where != who.Where:
				return refuse(ErrOtherChannel, "poll.other_channel", p.ID)
			case !admin && p.Creator != creator(p):
				return refuse(ErrNotAllowed, "close.not_allowed", p.ID)
			}
			return nil
		})
	}
	p, t, err := asCreatorOrAdmin(ctx, admin, ask, closeAs)
	switch {
	case errors.Is(err, ErrNotFound):
		return p, t, notFound(id)
	case errors.Is(err, ErrClosed) && p.Where != who.Where:
		return p, t, refuse(ErrOtherChannel, "poll.other_channel", p.ID)
	case errors.Is(err, ErrClosed):
		return p, t, refuse(ErrClosed, "close.already", p.ID, p.ID)
	}
	return p, t, err
}

// SetMessage records that poll id is shown in message, the platform's ID
// of the bot's own message, so that it can be redrawn there.
func (s *Service) SetMessage(ctx context.Context, id, message string) error {
	return s.st.SetPollMessage(ctx, NormalizeID(id), message)
}
