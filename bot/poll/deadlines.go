package poll

import (
	"context"
	"errors"
	"time"
)

// How long the service waits before it tries again to deliver a result
// that could not be delivered, and how long after a poll closed it stops
// trying.
const (
	deliverRetry  = time.Minute
	deliverGiveUp = 24 * time.Hour
)

// CloseDue closes the polls whose deadline has passed and hands each
// result to deliver, once: the store marks a result as delivered in the
// transaction that closes the poll, so a restart does not deliver it
// again. A result that deliver fails to deliver is tried again a minute
// later, for a day after the poll closed. It returns how many results
// were delivered, and every error of deliver and of the store.
func (s *Service) CloseDue(ctx context.Context, deliver func(Poll, Tally) error) (int, error) {
	now := s.now()
	polls, tallies, err := s.st.CloseDue(ctx, now)
	if err != nil {
		return 0, err
	}
	delivered := 0
	var errs []error
	for i, p := range polls {
		if err := deliver(p, tallies[i]); err != nil {
			errs = append(errs, err)
			if now.Sub(p.ClosedAt) < deliverGiveUp {
				if err := s.st.Unposted(ctx, p.ID, now.Add(deliverRetry)); err != nil {
					errs = append(errs, err)
				}
			}
			continue
		}
		delivered++
	}
	return delivered, errors.Join(errs...)
}

// Prune deletes the polls closed longer than keep ago whose result was
// delivered, with their votes, and returns how many.
func (s *Service) Prune(ctx context.Context, keep time.Duration) (int, error) {
	return s.st.PrunePolls(ctx, s.now().Add(-keep))
}
