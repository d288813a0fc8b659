package poll

import (
	"context"
	"errors"
	"strings"
)

// IsRepeat reports whether args ask to repeat a poll ("opnieuw ID …",
// also "again ID …"), and returns the ID and the settings after it.
func IsRepeat(args string) (id, rest string, ok bool) {
	word, after, _ := strings.Cut(strings.TrimSpace(args), " ")
	switch strings.ToLower(word) {
	case "opnieuw", "again":
		id, rest, _ = strings.Cut(strings.TrimSpace(after), " ")
		return id, strings.TrimSpace(rest), true
	}
	return "", "", false
}

// Repeat is /casus opnieuw ID (and /stelling opnieuw ID): anyone in poll
// id's channel posts its casus or statement and its options again, as a
// new poll linked to the first (Poll.Repeats, and the first's
// RepeatedBy), open or closed. The new poll has its own settings (args:
// anoniem, verborgen, aanvullen, duur=, tot=, herinnering=; max= keeps
// the first poll's maximum when not given, so that the shares compare)
// and no text: the text is the first poll's. Its result shows how views
// moved (Shift).
func (s *Service) Repeat(ctx context.Context, who Person, id, args string) (Poll, error) {
	first, _, err := s.Show(ctx, who.Where, id)
	if err != nil {
		return Poll{}, err
	}
	set, text, err := parseSettings(args, s.now(), s.loc)
	switch {
	case err != nil:
		return Poll{}, err
	case text != "":
		return Poll{}, badInput("repeat.text", Echo{text, 40}, first.ID)
	}
	p := Poll{Kind: first.Kind, Where: who.Where, Question: first.Question, Max: first.Max, Repeats: first.ID}
	for _, o := range first.Options {
		o.Added, o.AddedBy = false, ""
		p.Options = append(p.Options, o)
	}
	if err := s.apply(&p, set); err != nil {
		return Poll{}, err
	}
	err = s.store(ctx, &p, who)
	if errors.Is(err, ErrNotFound) {
		return Poll{}, notFound(first.ID)
	}
	return p, err
}
