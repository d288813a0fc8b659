package poll

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Roles of a person in a poll, hashed into their key so that the creator's
// key does not match their vote's.
const (
	roleVoter   = "voter"
	roleCreator = "creator"
	roleRoster  = "roster"
)

// personKey is how the store knows who in poll p: the platform's user ID,
// or in an anonymous poll an HMAC-SHA256 of it with the installation's
// secret. The poll ID and the role (voter or creator) are part of the
// hashed message, so hashes cannot be matched across polls or between the
// creator and the votes.
func (s *Service) personKey(ctx context.Context, p Poll, who Person, role string) (string, error) {
	if !p.Anon {
		return who.User, nil
	}
	secret, err := s.secret(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, secret)
	for _, part := range []string{role, p.ID, who.Where.Platform, who.Where.Team, who.User} {
		mac.Write([]byte(part))
		mac.Write([]byte{0})
	}
	return hex.EncodeToString(mac.Sum(nil)), nil
}

// keyOf returns the key of who in poll id as a function of the poll, for
// the store to call inside its transaction, where it learns whether the
// poll is anonymous. Both keys are made here, so that the function stays
// free of side effects.
func (s *Service) keyOf(ctx context.Context, id string, who Person, role string) (func(Poll) string, error) {
	plain, err := s.personKey(ctx, Poll{}, who, role)
	if err != nil {
		return nil, err
	}
	hashed, err := s.personKey(ctx, Poll{ID: id, Anon: true}, who, role)
	if err != nil {
		return nil, err
	}
	return func(p Poll) string {
		if p.Anon {
			return hashed
		}
		return plain
	}, nil
}

// remindee is how the reminder rules know user in poll p: the keys of
// their vote and of their place in the poll's roster. In an anonymous
// poll both are keyed hashes like every voter's, the roster's with a role
// of its own, so that the roster cannot be matched to the votes without
// the installation's secret, and neither names anyone.
func (s *Service) remindee(ctx context.Context, p Poll, user string) (Remindee, error) {
	who := Person{Where: p.Where, User: user}
	voter, err := s.personKey(ctx, p, who, roleVoter)
	if err != nil {
		return Remindee{}, err
	}
	key, err := s.personKey(ctx, p, who, roleRoster)
	if err != nil {
		return Remindee{}, err
	}
	return Remindee{User: user, Voter: voter, Key: key}, nil
}

// secret reads the store's secret once.
func (s *Service) secret(ctx context.Context) ([]byte, error) {
	s.secretMu.Lock()
	defer s.secretMu.Unlock()
	if s.hmacKey != nil {
		return s.hmacKey, nil
	}
	key, err := s.st.Secret(ctx)
	if err != nil {
		return nil, fmt.Errorf("read secret: %w", err)
	}
	if len(key) < 16 {
		return nil, fmt.Errorf("read secret: only %d bytes", len(key))
	}
	s.hmacKey = key
	return key, nil
}

// Key returns a 32-byte key for purpose, derived from the installation's
// secret (HMAC-SHA256 of the purpose). Adapters use it to sign what they
// hand to a platform and get back later, such as the context of a poll
// button, without a secret of their own; different purposes get unrelated
// keys.
func (s *Service) Key(ctx context.Context, purpose string) ([]byte, error) {
	secret, err := s.secret(ctx)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("waardenbot key\x00" + purpose))
	return mac.Sum(nil), nil
}
