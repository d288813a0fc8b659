package bot

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// idAlphabet has no characters that read alike (0 and o, 1, l and i), and
// only lower case, so an ID is easy to read aloud and to type.
const idAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// newPollID returns a random ID of n characters from idAlphabet.
func newPollID(n int) string {
	buf := make([]byte, n)
	rand.Read(buf) // never fails (crypto/rand documents it)
	for i, c := range buf {
		buf[i] = idAlphabet[int(c)%len(idAlphabet)]
	}
	return string(buf)
}

// normalizeID reads a poll ID as typed: case does not matter.
func normalizeID(s string) string { return strings.ToLower(strings.Trim(s, "`'\"")) }

// createPoll stores p under a fresh ID: four characters while they are
// free, then five, then six.
func (b *Bot) createPoll(ctx context.Context, p *Poll, req Request) error {
	for attempt := 0; attempt < 15; attempt++ {
		p.ID = newPollID(4 + attempt/5)
		creator, err := b.personKey(ctx, *p, req, "creator")
		if err != nil {
			return err
		}
		p.Creator = creator
		err = b.polls.CreatePoll(ctx, *p)
		if !errors.Is(err, ErrPollIDTaken) {
			return err
		}
	}
	return fmt.Errorf("create poll: no free ID after 15 attempts")
}

// personKey is how the store knows a person in poll p: the platform's user
// ID, or in an anonymous poll an HMAC-SHA256 of it with the installation's
// secret. The poll ID and the role (voter or creator) are part of the
// hashed message, so hashes cannot be matched across polls or between the
// creator and the votes.
func (b *Bot) personKey(ctx context.Context, p Poll, req Request, role string) (string, error) {
	user := req.User
	if user == "" {
		user = req.UserName
	}
	if !p.Anon {
		return user, nil
	}
	secret, err := b.secret(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, secret)
	for _, part := range []string{role, p.ID, req.Platform, req.Team, user} {
		mac.Write([]byte(part))
		mac.Write([]byte{0})
	}
	return hex.EncodeToString(mac.Sum(nil)), nil
}

// secret reads the store's secret once.
func (b *Bot) secret(ctx context.Context) ([]byte, error) {
	b.secretMu.Lock()
	defer b.secretMu.Unlock()
	if b.hmacKey != nil {
		return b.hmacKey, nil
	}
	s, err := b.polls.Secret(ctx)
	if err != nil {
		return nil, fmt.Errorf("read secret: %w", err)
	}
	if len(s) < 16 {
		return nil, fmt.Errorf("read secret: only %d bytes", len(s))
	}
	b.hmacKey = s
	return s, nil
}

// Key returns a 32-byte key for purpose, derived from the installation's
// secret (HMAC-SHA256 of the purpose). Adapters use it to sign what they
// hand to a platform and get back later, such as the context of a poll
// button, without a secret of their own; different purposes get unrelated
// keys. Without a poll store there is no secret, and Key returns
// ErrNoPolls.
func (b *Bot) Key(ctx context.Context, purpose string) ([]byte, error) {
	if b.polls == nil {
		return nil, ErrNoPolls
	}
	secret, err := b.secret(ctx)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("waardenbot key\x00" + purpose))
	return mac.Sum(nil), nil
}
