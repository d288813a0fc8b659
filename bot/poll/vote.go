package poll

import (
	"context"
	"errors"
	"slices"
)

// Ballot is what a vote leaves: the poll, its tally and the voter's vote
// that counts now.
type Ballot struct {
	Poll  Poll
	Tally Tally
	Vote  Vote // the new vote, or after a refusal the earlier one
	// Changed is true when the vote was stored or withdrawn; false when it
	// was the same as the one that counted already (nothing was written)
	// or refused.
	Changed bool
}

// errSameVote is what a Change returns for a vote that is the same as the
// one that counts already: the store then writes nothing, and the voter is
// answered as for a counted vote, with Ballot.Changed false.
var errSameVote = errors.New("the same vote as before")

// Vote is /stem: input (numbers, keys, labels or values, separated by
// commas) replaces who's earlier vote in poll id; an empty input withdraws
// it. A *Refusal says why a vote was refused, with the Ballot as it
// stands; the earlier vote is kept.
func (s *Service) Vote(ctx context.Context, who Person, id, input string) (Ballot, error) {
	now := s.now()
	return s.vote(ctx, who, id, func(p Poll, prev Vote) (Vote, error) {
		if err := s.canVote(p, who); err != nil {
			return prev, err
		}
		if input == "" {
			if len(prev.Choices) == 0 {
				return prev, errSameVote
			}
			return Vote{At: now}, nil
		}
		keys, unknown := choices(s.kb, p, input)
		switch {
		case unknown != "":
			return prev, refuse(ErrUnknownOption, "vote.unknown", Echo{unknown, 40}, p.ID)
		case len(keys) > p.Max:
			return prev, refuse(ErrTooManyChoices, "vote.too_many", len(keys), p.Max)
		}
		if slices.Equal(keys, prev.Choices) { // both in the poll's order
			return prev, errSameVote
		}
		return Vote{Choices: keys, At: now, Name: voterName(p, who)}, nil
	})
}

// Toggle is a click on an option's button: it adds the option to who's
// vote, or takes it out when it is in already. In a poll where one may
// pick only one option, a click on another option moves the vote there. It
// refuses an option beyond the poll's maximum, as Vote does.
func (s *Service) Toggle(ctx context.Context, who Person, id, key string) (Ballot, error) {
	now := s.now()
	return s.vote(ctx, who, id, func(p Poll, prev Vote) (Vote, error) {
		if err := s.canVote(p, who); err != nil {
			return prev, err
		}
		if _, ok := p.Option(key); !ok {
			return prev, refuse(ErrUnknownOption, "vote.unknown", Echo{key, 40}, p.ID)
		}
		chosen := map[string]bool{}
		for _, k := range prev.Choices {
			chosen[k] = true
		}
		switch {
		case chosen[key]:
			delete(chosen, key)
		case p.Max == 1:
			chosen = map[string]bool{key: true}
		case len(chosen) >= p.Max:
			return prev, refuse(ErrTooManyChoices, "vote.too_many", len(chosen)+1, p.Max)
		default:
			chosen[key] = true
		}
		next := Vote{At: now, Name: voterName(p, who)}
		for _, o := range p.Options {
			if chosen[o.Key] {
				next.Choices = append(next.Choices, o.Key)
			}
		}
		return next, nil
	})
}

// voterName is the name a vote keeps: who's readable name, except in an
// anonymous poll, where the store keeps nothing that names a voter.
func voterName(p Poll, who Person) string {
	if p.Anon {
		return ""
	}
	return who.Name
}

// canVote refuses a vote in a closed poll or from another channel.
func (s *Service) canVote(p Poll, who Person) error {
	switch {
	case p.Where != who.Where:
		return refuse(ErrOtherChannel, "poll.other_channel", p.ID)
	case p.IsClosed(s.now()):
		return refuse(ErrClosed, "vote.closed", p.ID, p.ID)
	}
	return nil
}

// vote applies change to who's vote in poll id.
func (s *Service) vote(ctx context.Context, who Person, id string, change Change) (Ballot, error) {
	id = NormalizeID(id)
	voter, err := s.keyOf(ctx, id, who, roleVoter)
	if err != nil {
		return Ballot{}, err
	}
	p, t, v, err := s.st.Vote(ctx, id, voter, change)
	b := Ballot{Poll: p, Tally: t, Vote: v, Changed: err == nil}
	switch {
	case errors.Is(err, errSameVote):
		return b, nil
	case errors.Is(err, ErrNotFound):
		return Ballot{}, notFound(id)
	}
	return b, err
}
