package poll

import (
	"errors"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary text to the parsers of what users type: they
// must accept it or refuse it with a *Refusal, never panic, and what they
// accept must follow the rules.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"max=2 duur=90m Tekst", "anoniem verborgen tot=2026-12-01 17:00 Mag dit?", "max=0 x", "duur=-5m x",
		"tot=2026-13-45 10:00 x", "tot= 10:00", "duur=99999999999999999999d x", "1, 2, 3", "weet niet, ja", "privasy",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, amsterdam)
	p := Poll{Kind: Values, Max: 2, Options: valueOptions(kb, "privacy, gelijkheid, toegankelijkheid")}
	f.Fuzz(func(t *testing.T, s string) {
		set, _, err := parseSettings(s, now, amsterdam)
		var r *Refusal
		switch {
		case err != nil && !errors.As(err, &r):
			t.Fatalf("%q: %v is not a refusal", s, err)
		case err == nil && (set.max < 0 || set.max > maxOptions || !set.closesAt.IsZero() && (!set.closesAt.After(now) || set.closesAt.Sub(now) > maxDuration)):
			t.Fatalf("%q: accepted %+v", s, set)
		}
		keys, unknown := choices(kb, p, s)
		if unknown == "" && len(keys) > len(p.Options) {
			t.Fatalf("%q: %d choices of %d options", s, len(keys), len(p.Options))
		}
		for _, k := range valueOptions(kb, s) {
			if k.Key == "" {
				t.Fatalf("%q: an option without key", s)
			}
		}
	})
}
