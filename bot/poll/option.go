package poll

import (
	"context"
	"errors"
)

// AddOption is /optie: who adds a value to poll id. In a poll started
// with aanvullen anyone in its channel may; in another the creator or an
// admin (admin, ask: as for Close). The value is recognised as /casus
// recognises values (its cluster found, or marked as not on the
// Waardenkaart); one that the poll has already is refused, as are a
// statement, a closed poll, a poll of another channel and an eleventh
// option. Who added it is kept with it, unless the poll is anonymous.
// Every refusal is a *Refusal and changes nothing.
func (s *Service) AddOption(ctx context.Context, who Person, id, value string, admin bool, ask func(context.Context) bool) (Poll, Tally, Option, error) {
	id = NormalizeID(id)
	items := splitList(value)
	switch {
	case len(items) == 0:
		return Poll{}, Tally{}, Option{}, badInput("option.usage")
	case len(items) > 1:
		return Poll{}, Tally{}, Option{}, badInput("option.one")
	}
	o := valueOption(s.kb, items[0])
	if o.Key == "" {
		return Poll{}, Tally{}, Option{}, badInput("option.usage")
	}
	creator, err := s.keyOf(ctx, id, who, roleCreator)
	if err != nil {
		return Poll{}, Tally{}, Option{}, err
	}
	add := func(admin bool) func(*Poll, Tally) error {
		return func(p *Poll, _ Tally) error {
			switch {
			case p.Where != who.Where:
				return refuse(ErrOtherChannel, "poll.other_channel", p.ID)
			case p.IsClosed(s.now()):
				return refuse(ErrClosed, "option.closed", p.ID, p.ID)
			case p.Kind != Values:
				return badInput("option.stelling")
			case !p.Open && !admin && p.Creator != creator(*p):
				return refuse(ErrNotAllowed, "option.not_open", p.ID)
			}
			if have, ok := p.Option(o.Key); ok {
				return refuse(ErrDuplicate, "option.duplicate", Echo{have.Label, 40}, p.ID)
			}
			_, err := addOption(p, o, who)
			return err
		}
	}
	p, t, err := asCreatorOrAdmin(ctx, admin, ask, func(admin bool) (Poll, Tally, error) {
		return s.st.UpdatePoll(ctx, id, add(admin))
	})
	if errors.Is(err, ErrNotFound) {
		return p, t, Option{}, notFound(id)
	}
	if err != nil {
		return p, t, Option{}, err
	}
	added, _ := p.Option(o.Key)
	return p, t, added, nil
}
