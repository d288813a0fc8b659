package poll

import (
	"context"
	"errors"
)

// Reminders to those who have not voted (herinnering=2u): RemindBefore
// before a poll's deadline, each member of its channel who was there when
// it started and has not voted gets one private reminder. The rules, and
// what keeps them true across restarts, live in the store: the roster
// (SetRoster) says who was there; a claim (ClaimReminders) is recorded
// before the reminder is sent, so nobody is reminded twice, not even
// after a crash (a crash between claim and send loses that one reminder:
// once, not twice, as with scheduled posts).

// RemindersDue returns the open polls whose reminder is due now.
func (s *Service) RemindersDue(ctx context.Context) ([]Poll, error) {
	return s.st.RemindersDue(ctx, s.now())
}

// SetRoster records users, the people in p's channel as it starts, as the
// only ones its reminder may reach: someone who joins later is not
// reminded. In an anonymous poll the roster holds keyed hashes.
func (s *Service) SetRoster(ctx context.Context, p Poll, users []string) error {
	keys := make([]string, 0, len(users))
	for _, u := range users {
		r, err := s.remindee(ctx, p, u)
		if err != nil {
			return err
		}
		keys = append(keys, r.Key)
	}
	return s.st.SetRoster(ctx, p.ID, keys)
}

// ClaimReminders claims the reminders of those of users (members of p's
// channel now) who may get one now: on p's roster, without a vote, not
// reminded before, while p is open. It returns their user IDs; each is
// claimed for good, so the caller sends each one reminder at most.
func (s *Service) ClaimReminders(ctx context.Context, p Poll, users []string) ([]string, error) {
	people := make([]Remindee, 0, len(users))
	for _, u := range users {
		r, err := s.remindee(ctx, p, u)
		if err != nil {
			return nil, err
		}
		people = append(people, r)
	}
	claimed, err := s.st.ClaimReminders(ctx, p.ID, s.now(), people)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(claimed))
	for i, r := range claimed {
		out[i] = r.User
	}
	return out, nil
}

// RemindersDone records that p's reminders are done, so that they are
// not looked at again.
func (s *Service) RemindersDone(ctx context.Context, id string) error {
	_, _, err := s.st.UpdatePoll(ctx, id, func(p *Poll, _ Tally) error {
		p.Reminded = true
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return nil // deleted meanwhile: nothing left to remind
	}
	return err
}
