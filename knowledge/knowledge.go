// Package knowledge holds the content of the book "Digitalisering in beeld –
// Denkgereedschap voor raadsleden" (De Argumentenfabriek for Democratie in
// Actie): the nine value clusters of the Waardenkaart with their values and
// opinions, and the two question cards with their groups, themes and
// questions. It also holds waardenbot's own additions (synonyms, related
// terms, links between values and themes), kept apart from the book's text,
// and an optional overlay with a municipality's own values and questions.
//
// The data lives in YAML files embedded in the binary (book.yaml,
// additions.yaml) so that a non-programmer can correct or extend it. A Base is
// immutable once loaded and safe for concurrent use.
package knowledge

import (
	_ "embed"
	"fmt"
	"os"
	"sync"
)

//go:embed book.yaml
var bookYAML []byte

//go:embed additions.yaml
var additionsYAML []byte

// Origin names where a piece of content comes from.
type Origin string

// Origins of content. Anything not from the book is shown as such.
const (
	FromBook    Origin = "book"
	FromProject Origin = "waardenbot"
)

// Source describes a publication the content is taken from.
type Source struct {
	Title     string
	Authors   string
	Publisher string
}

// Cluster is one of the nine value clusters of the Waardenkaart (after
// Jonathan Haidt's moral foundations, extended by De Argumentenfabriek with
// three practical clusters).
type Cluster struct {
	Name        string
	Description string // the book's one-line description, e.g. "gaat over autonoom leven."
	Kind        string // ideëel, sociaal or praktisch
	Values      []*Value
	Origin      Origin // FromBook, or the overlay's source
}

// Value is a public value on the Waardenkaart with the opinions (quoted
// statements) through which the book makes it concrete.
type Value struct {
	Name     string
	Cluster  *Cluster
	Opinions []string // verbatim quotes, without the book's quote marks
	Origin   Origin

	// The project's own additions, never part of a quote.
	Synonyms []string
	Themes   []*Theme // question themes that fit this value
	Keywords []string // words in free text that hint at this value
}

// Card is a question card ("Vragenkaart").
type Card struct {
	Name     string
	Groups   []*Group
	Origin   Origin
	Synonyms []string
}

// Group is a group of themes on a card, such as bedrijfsvoering or
// particulieren.
type Group struct {
	Name   string
	Card   *Card
	Themes []*Theme
}

// Theme is a theme on a question card with its political questions.
type Theme struct {
	Name      string
	Group     *Group
	Questions []string // verbatim
	Synonyms  []string // project's own
	Values    []*Value // project's own links, the reverse of Value.Themes
}

// Card returns the card the theme is on.
func (t *Theme) Card() *Card { return t.Group.Card }

// Related is a term that is not on the Waardenkaart but comes up in the
// debate (transparantie, toegankelijkheid, …), with the values nearest to it.
// It is always the project's own addition.
type Related struct {
	Term   string
	Values []*Value
	Source string // where the term was met, if known
}

// Base is the whole knowledge base. Build one with Load.
type Base struct {
	Source   Source
	Clusters []*Cluster
	Cards    []*Card
	Related  []*Related
	index    func() *index  // the search index, built on first use
	byFold   map[string]any // exact folded names: "v:privacy" → *Value, also c:, k:, t:
}

// Load builds the base from the embedded book and additions, plus the
// overlay files given (a municipality's own values, principles or
// questions). An overlay error names the file, the line and the problem.
//
// Without overlays it returns the base that prebuilt.go holds, the same
// YAML parsed ahead of time, as long as that was made from the embedded
// files as they are; otherwise it parses them.
func Load(overlays ...string) (*Base, error) {
	if len(overlays) == 0 {
		if b := prebuilt(); b != nil {
			return b, nil
		}
	}
	return parse(overlays...)
}

// parse builds the base from the YAML files.
func parse(overlays ...string) (*Base, error) {
	b, err := parseBase("book.yaml", bookYAML, FromBook, true)
	if err != nil {
		return nil, fmt.Errorf("embedded book: %w", err)
	}
	for _, path := range overlays {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("knowledge overlay: %w", err)
		}
		if err := b.merge(path, data); err != nil {
			return nil, err
		}
	}
	if err := b.applyAdditions("additions.yaml", additionsYAML); err != nil {
		return nil, fmt.Errorf("embedded additions: %w", err)
	}
	b.indexLazily()
	return b, nil
}

// indexLazily makes the first search build the index (every name and
// synonym folded, every opinion and question stemmed): a bot that starts
// waits for none of it.
func (b *Base) indexLazily() {
	b.index = sync.OnceValue(func() *index { return buildIndex(b) })
}

// MustLoad is Load without overlays for tests and tools; it panics when the
// embedded data is broken, which a test catches before any release.
func MustLoad() *Base {
	b, err := Load()
	if err != nil {
		panic(err)
	}
	return b
}

// Values returns every value of the Waardenkaart in map order.
func (b *Base) Values() []*Value {
	var out []*Value
	for _, c := range b.Clusters {
		out = append(out, c.Values...)
	}
	return out
}

// Themes returns every theme of every card in card order.
func (b *Base) Themes() []*Theme {
	var out []*Theme
	for _, c := range b.Cards {
		for _, g := range c.Groups {
			out = append(out, g.Themes...)
		}
	}
	return out
}

// Citation is the short reference that every answer carries once.
func (b *Base) Citation() string {
	return fmt.Sprintf("%s (%s; %s)", b.Source.Title, b.Source.Authors, b.Source.Publisher)
}
