package poll

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/waardenbot/waardenbot/knowledge"
)

// valueOptions turns "privacy, gelijkheid, toegankelijkheid" into options:
// values on the Waardenkaart are found as /waarde finds them (typos and
// synonyms forgiven); anything else is kept as typed and marked as not on
// the map. Duplicates are merged.
func valueOptions(kb *knowledge.Base, list string) []Option {
	var out []Option
	for _, item := range splitList(list) {
		out = appendOption(out, valueOption(kb, item))
	}
	return out
}

func valueOption(kb *knowledge.Base, item string) Option {
	for _, m := range kb.Lookup(item) {
		if v := m.Value; v != nil {
			return Option{Key: optionKey(v.Name), Label: v.Name, Cluster: v.Cluster.Name, OnMap: true}
		}
	}
	label := truncate(item, labelMax)
	r, n := utf8.DecodeRuneInString(label)
	label = strings.ToUpper(string(r)) + label[n:]
	return Option{Key: optionKey(label), Label: label}
}

// truncate shortens s to at most n runes, ending in "…" when cut, as
// bot.Truncate does (which this package cannot import).
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// appendOption adds o unless an option with its key is there already or its
// key is empty (nothing but punctuation).
func appendOption(opts []Option, o Option) []Option {
	if o.Key == "" {
		return opts
	}
	for _, have := range opts {
		if have.Key == o.Key {
			return opts
		}
	}
	return append(opts, o)
}

// optionKey is what a voter types or a button sends for an option with
// label: the folded label with dashes, "digitale-inclusie".
func optionKey(label string) string {
	return strings.ReplaceAll(knowledge.Fold(label), " ", "-")
}

// splitList splits at commas and semicolons and drops quotes and empty
// items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if item = strings.TrimSpace(strings.Trim(strings.TrimSpace(item), `"'`)); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// proposedOptions are the values most at stake in a casus text.
func proposedOptions(kb *knowledge.Base, text string) []Option {
	var out []Option
	for _, v := range kb.AtStake(text, proposeN) {
		out = appendOption(out, Option{Key: optionKey(v.Name), Label: v.Name, Cluster: v.Cluster.Name, OnMap: true})
	}
	return out
}

// statementOptions are the choices of a /stelling, with labels in the
// bot's language.
func statementOptions(labels [3]string) []Option {
	return []Option{
		{Key: "eens", Label: labels[0]},
		{Key: "neutraal", Label: labels[1]},
		{Key: "oneens", Label: labels[2]},
	}
}

// statementWords are other words voters use for eens, neutraal, oneens.
var statementWords = map[string]string{
	"ja": "eens", "voor": "eens", "agree": "eens", "yes": "eens",
	"nee": "oneens", "tegen": "oneens", "disagree": "oneens", "no": "oneens",
	"weet niet": "neutraal", "neutral": "neutraal", "geen mening": "neutraal",
}

// choices resolves what a voter typed after the poll ID into option keys,
// in the poll's order: numbers (1 is the first option), keys, labels, and
// values as /waarde finds them. Items are separated by commas; an item that
// matches nothing is tried word by word. It returns the first item it could
// not place.
func choices(kb *knowledge.Base, p Poll, input string) (keys []string, unknown string) {
	chosen := map[string]bool{}
	for _, item := range splitList(input) {
		if k, ok := choice(kb, p, item); ok {
			chosen[k] = true
			continue
		}
		words := strings.Fields(item)
		if len(words) < 2 {
			return nil, item
		}
		for _, w := range words {
			k, ok := choice(kb, p, w)
			if !ok {
				return nil, w
			}
			chosen[k] = true
		}
	}
	for _, o := range p.Options {
		if chosen[o.Key] {
			keys = append(keys, o.Key)
		}
	}
	return keys, ""
}

func choice(kb *knowledge.Base, p Poll, item string) (string, bool) {
	if n, err := strconv.Atoi(item); err == nil {
		if n >= 1 && n <= len(p.Options) {
			return p.Options[n-1].Key, true
		}
		return "", false
	}
	key := optionKey(item)
	if p.Kind == Statement {
		if k, ok := statementWords[knowledge.Fold(item)]; ok {
			key = k
		}
	}
	for _, o := range p.Options {
		if o.Key == key || optionKey(o.Label) == key {
			return o.Key, true
		}
	}
	if p.Kind != Values {
		return "", false
	}
	for _, m := range kb.Lookup(item) {
		if m.Value == nil {
			continue
		}
		if o, ok := p.Option(optionKey(m.Value.Name)); ok {
			return o.Key, true
		}
	}
	return "", false
}
