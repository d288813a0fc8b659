package poll

import (
	"context"
	"errors"
	"strings"
)

// Edit says what a correction (Service.Change) changed.
type Edit struct {
	Text, Options, Max, Hidden, Deadline bool
	Added                                []Option // options added to a poll with votes
}

// Change is /wijzig: who corrects poll id with args, in the grammar of
// /casus: settings, then the text, then for a value poll "| value, …".
// Text alone keeps the options, "| …" alone keeps the text, settings
// alone keep both; duur= and tot= move the deadline.
//
// Only the poll's creator may, or an admin: admin says whether who is
// known to be one, ask (if not nil) asks the platform when that matters.
// Until the first vote the text, the options, max, the deadline and
// verborgen may change; once someone has voted only the deadline may
// move (later or earlier, never into the past) and values may be added
// (a list that keeps every option and names new ones). anoniem never
// changes, in either direction: any word about it refuses the whole
// correction (ErrAnonymity). A closed poll is not changed. Every refusal
// is a *Refusal and changes nothing.
func (s *Service) Change(ctx context.Context, who Person, id, args string, admin bool, ask func(context.Context) bool) (Poll, Tally, Edit, error) {
	id = NormalizeID(id)
	if anonWord(args) {
		return Poll{}, Tally{}, Edit{}, refuse(ErrAnonymity, "edit.anon", id)
	}
	set, text, err := parseSettings(args, s.now(), s.loc)
	switch {
	case err != nil:
		return Poll{}, Tally{}, Edit{}, err
	case set.openGiven || set.remindGiven:
		return Poll{}, Tally{}, Edit{}, badInput("edit.fixed")
	case text == "" && set.max == 0 && !set.hiddenGiven && set.closesAt.IsZero():
		return Poll{}, Tally{}, Edit{}, badInput("edit.usage")
	}
	creator, err := s.keyOf(ctx, id, who, roleCreator)
	if err != nil {
		return Poll{}, Tally{}, Edit{}, err
	}
	var e Edit
	change := func(admin bool) func(*Poll, Tally) error {
		return func(p *Poll, t Tally) error {
			e = Edit{}
			if err := s.mayChange(p, who, creator, admin); err != nil {
				return err
			}
			return s.correct(p, t, set, text, who, &e)
		}
	}
	p, t, err := asCreatorOrAdmin(ctx, admin, ask, func(admin bool) (Poll, Tally, error) {
		return s.st.UpdatePoll(ctx, id, change(admin))
	})
	if errors.Is(err, ErrNotFound) {
		return p, t, e, notFound(id)
	}
	return p, t, e, err
}

// anonWord reports whether a word about anonymity (anoniem,
// anoniem=nee, anonymous=whatever) is among the settings before the text:
// the words up to the first one that is neither a switch nor key=value.
func anonWord(args string) bool {
	for _, w := range strings.Fields(strings.ToLower(args)) {
		key, _, isSetting := strings.Cut(w, "=")
		switch {
		case key == "anoniem" || key == "anonymous":
			return true
		case !isSetting && !switchWords[key]:
			return false
		}
	}
	return false
}

// mayChange refuses a correction of p by who (whose creator key in p is
// creator(p)) from another channel, by someone else than the creator or
// an admin, or of a closed poll.
func (s *Service) mayChange(p *Poll, who Person, creator func(Poll) string, admin bool) error {
	switch {
	case p.Where != who.Where:
		return refuse(ErrOtherChannel, "poll.other_channel", p.ID)
	case !admin && p.Creator != creator(*p):
		return refuse(ErrNotAllowed, "edit.not_allowed", p.ID)
	case p.IsClosed(s.now()):
		return refuse(ErrClosed, "edit.closed", p.ID, p.ID)
	}
	return nil
}

// correct applies a correction to p, whose tally is t, and notes in e
// what changed.
func (s *Service) correct(p *Poll, t Tally, set settings, text string, who Person, e *Edit) error {
	voted := t.Voters > 0
	list, hasList := "", false
	if p.Kind == Values {
		text, list, hasList = cutLast(text, "|")
	}
	switch {
	case voted && (text != "" || set.max > 0 || set.hiddenGiven):
		return refuse(ErrVoted, "edit.voted", p.ID)
	case set.max > 0 && p.Kind == Statement:
		return badInput("poll.stelling_max")
	}
	if text != "" {
		if err := checkText(text); err != nil {
			return err
		}
		e.Text = p.Question != text
		p.Question = text
	}
	if hasList {
		if err := s.newOptions(p, voted, list, who, e); err != nil {
			return err
		}
	}
	if set.max > 0 {
		e.Max = p.Max != set.max
		p.Max = set.max
	}
	if set.hiddenGiven {
		e.Hidden = p.Hidden != set.hidden
		p.Hidden = set.hidden
	}
	if !set.closesAt.IsZero() {
		e.Deadline = !p.ClosesAt.Equal(set.closesAt)
		p.ClosesAt = set.closesAt
	}
	return nil
}

// newOptions replaces p's options by those in list, or once p has votes
// adds the new ones in list, which must keep every option p has.
func (s *Service) newOptions(p *Poll, voted bool, list string, who Person, e *Edit) error {
	opts := valueOptions(s.kb, list)
	if !voted {
		if err := checkOptions(len(opts), false); err != nil {
			return err
		}
		p.Options, p.Proposed, e.Options = opts, false, true
		return nil
	}
	keep := map[string]bool{}
	for _, o := range opts {
		keep[o.Key] = true
	}
	for _, o := range p.Options {
		if !keep[o.Key] {
			return refuse(ErrVoted, "edit.voted_options", p.ID, Echo{o.Label, 40})
		}
	}
	for _, o := range opts {
		if _, ok := p.Option(o.Key); ok {
			continue
		}
		added, err := addOption(p, o, who)
		if err != nil {
			return err
		}
		e.Added = append(e.Added, added)
	}
	e.Options = len(e.Added) > 0
	return nil
}

// addOption appends o to p's options as a value who added after the poll
// started (named, unless the poll is anonymous) and returns it as added;
// a poll with maxOptions options is refused.
func addOption(p *Poll, o Option, who Person) (Option, error) {
	if len(p.Options) >= maxOptions {
		return Option{}, refuse(ErrTooManyChoices, "option.full", p.ID, maxOptions)
	}
	o.Added = true
	if !p.Anon {
		o.AddedBy = who.Name
	}
	p.Options = append(p.Options, o)
	return o, nil
}

// asCreatorOrAdmin runs do, which needs the poll's creator or an admin,
// first with what is known about who (admin), and when that is refused
// as not allowed and ask says the platform counts who as an admin, again
// as one. ask is called only then, outside any transaction.
func asCreatorOrAdmin(ctx context.Context, admin bool, ask func(context.Context) bool, do func(admin bool) (Poll, Tally, error)) (Poll, Tally, error) {
	p, t, err := do(admin)
	if errors.Is(err, ErrNotAllowed) && !admin && ask != nil && ask(ctx) {
		p, t, err = do(true)
	}
	return p, t, err
}
