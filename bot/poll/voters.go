package poll

import (
	"context"
	"errors"

	"github.com/waardenbot/waardenbot/knowledge"
)

// Polls lists every poll keep accepts, open or closed, with its tally,
// oldest first: the polls of a channel for an export, the earlier rounds
// of a casus. It reads every poll in the store.
func (s *Service) Polls(ctx context.Context, keep func(Poll) bool) ([]Poll, []Tally, error) {
	return s.st.Polls(ctx, keep)
}

// Voters returns who voted what in poll id, for the poll's creator or an
// admin in the poll's channel, as Close decides who may (admin and ask as
// there). It refuses, with a *Refusal: a poll that does not exist or is
// another channel's; an anonymous poll (ErrAnonymous), whose store holds
// nothing that names a voter; a poll that hides its counts while it is
// open (ErrCountsHidden), since who voted what would show them; and
// anyone else (ErrNotAllowed). Only votes that choose something are
// returned.
func (s *Service) Voters(ctx context.Context, who Person, id string, admin bool, ask func(context.Context) bool) (Poll, Tally, []Cast, error) {
	p, t, err := s.Show(ctx, who.Where, id)
	switch {
	case err != nil:
		return p, t, nil, err
	case p.Anon:
		return p, t, nil, refuse(ErrAnonymous, "export.votes_anonymous", p.ID)
	case !p.CountsShown(s.now()):
		return p, t, nil, refuse(ErrCountsHidden, "export.hidden", p.ID)
	case p.Creator != who.User && !admin && (ask == nil || !ask(ctx)):
		return p, t, nil, refuse(ErrNotAllowed, "export.votes_not_allowed", p.ID)
	}
	casts, err := s.st.Votes(ctx, p.ID)
	if errors.Is(err, ErrNotFound) {
		return p, t, nil, notFound(p.ID) // deleted in the meantime
	}
	if err != nil {
		return p, t, nil, err
	}
	out := casts[:0]
	for _, c := range casts {
		if len(c.Vote.Choices) > 0 {
			out = append(out, c)
		}
	}
	return p, t, out, nil
}

// SameCasus reports whether q asks what p asks: the same kind of poll in
// the same channel with the same text (case, diacritics, punctuation and
// spacing aside),
// started before p. A casus put to a channel again is a new round of it.
func SameCasus(p, q Poll) bool {
	return q.ID != p.ID && q.Kind == p.Kind && q.Where == p.Where && q.Created.Before(p.Created) &&
		knowledge.Fold(q.Question) == knowledge.Fold(p.Question)
}
