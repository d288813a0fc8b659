package knowledge

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileError is a problem in a knowledge file, with the line it is on.
type FileError struct {
	File    string
	Line    int
	Problem string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Problem)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Problem)
}

// The raw* types mirror the YAML files. Each remembers the line it starts on
// so that validation can point at it.

type rawFile struct {
	Source   rawSource    `yaml:"source"`
	Clusters []rawCluster `yaml:"clusters"`
	Cards    []rawCard    `yaml:"cards"`
}

type rawSource struct {
	Title     string `yaml:"title"`
	Authors   string `yaml:"authors"`
	Publisher string `yaml:"publisher"`
}

type rawCluster struct {
	Name        string     `yaml:"name"`
	Description string     `yaml:"description"`
	Kind        string     `yaml:"kind"`
	Values      []rawValue `yaml:"values"`
	line        int
}

type rawValue struct {
	Name     string   `yaml:"name"`
	Opinions []string `yaml:"opinions"`
	line     int
}

type rawCard struct {
	Name   string     `yaml:"name"`
	Groups []rawGroup `yaml:"groups"`
	line   int
}

type rawGroup struct {
	Name   string     `yaml:"name"`
	Themes []rawTheme `yaml:"themes"`
	line   int
}

type rawTheme struct {
	Name      string   `yaml:"name"`
	Questions []string `yaml:"questions"`
	line      int
}

type rawAdditions struct {
	Synonyms map[string][]string `yaml:"synonyms"`
	Related  []rawRelated        `yaml:"related"`
	Links    map[string][]string `yaml:"links"`
	Keywords map[string][]string `yaml:"keywords"`
	lines    map[string]int      // line of each key in synonyms, links, keywords
}

type rawRelated struct {
	Term   string   `yaml:"term"`
	Values []string `yaml:"values"`
	Source string   `yaml:"source"`
	line   int
}

// strict decodes a mapping node into v after checking that it has only the
// allowed keys, so that a misspelt key is an error and not silently ignored.
func strict(n *yaml.Node, v any, allowed ...string) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: expected a mapping (key: value)", n.Line)}}
	}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: unknown key %q (allowed: %s)", k.Line, k.Value, strings.Join(allowed, ", "))}}
		}
	}
	return n.Decode(v)
}

func (f *rawFile) UnmarshalYAML(n *yaml.Node) error {
	type plain rawFile
	return strict(n, (*plain)(f), "source", "clusters", "cards")
}

func (s *rawSource) UnmarshalYAML(n *yaml.Node) error {
	type plain rawSource
	return strict(n, (*plain)(s), "title", "authors", "publisher")
}

func (c *rawCluster) UnmarshalYAML(n *yaml.Node) error {
	type plain rawCluster
	c.line = n.Line
	return strict(n, (*plain)(c), "name", "description", "kind", "values")
}

func (v *rawValue) UnmarshalYAML(n *yaml.Node) error {
	type plain rawValue
	v.line = n.Line
	return strict(n, (*plain)(v), "name", "opinions")
}

func (c *rawCard) UnmarshalYAML(n *yaml.Node) error {
	type plain rawCard
	c.line = n.Line
	return strict(n, (*plain)(c), "name", "groups")
}

func (g *rawGroup) UnmarshalYAML(n *yaml.Node) error {
	type plain rawGroup
	g.line = n.Line
	return strict(n, (*plain)(g), "name", "themes")
}

func (t *rawTheme) UnmarshalYAML(n *yaml.Node) error {
	type plain rawTheme
	t.line = n.Line
	return strict(n, (*plain)(t), "name", "questions")
}

func (r *rawRelated) UnmarshalYAML(n *yaml.Node) error {
	type plain rawRelated
	r.line = n.Line
	return strict(n, (*plain)(r), "term", "values", "source")
}

func (a *rawAdditions) UnmarshalYAML(n *yaml.Node) error {
	type plain rawAdditions
	if err := strict(n, (*plain)(a), "synonyms", "related", "links", "keywords"); err != nil {
		return err
	}
	a.lines = map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if m := n.Content[i+1]; m.Kind == yaml.MappingNode {
			for j := 0; j < len(m.Content); j += 2 {
				a.lines[n.Content[i].Value+"/"+m.Content[j].Value] = m.Content[j].Line
			}
		}
	}
	return nil
}

// decode parses data into v and turns YAML errors into FileErrors.
func decode(file string, data []byte, v any) error {
	err := yaml.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		line, msg := splitLine(te.Errors[0])
		return &FileError{File: file, Line: line, Problem: msg}
	}
	line, msg := splitLine(strings.TrimPrefix(err.Error(), "yaml: "))
	return &FileError{File: file, Line: line, Problem: msg}
}

// splitLine takes "line 12: problem" apart.
func splitLine(s string) (int, string) {
	var line int
	if _, err := fmt.Sscanf(s, "line %d:", &line); err == nil {
		if i := strings.Index(s, ":"); i >= 0 {
			return line, strings.TrimSpace(s[i+1:])
		}
	}
	return 0, s
}

var clusterKinds = []string{"ideëel", "sociaal", "praktisch"}

// parseBase reads a book-shaped file into a fresh Base.
func parseBase(file string, data []byte, origin Origin, needSource bool) (*Base, error) {
	var raw rawFile
	if err := decode(file, data, &raw); err != nil {
		return nil, err
	}
	if needSource && raw.Source.Title == "" {
		return nil, &FileError{File: file, Problem: "source.title is missing"}
	}
	b := &Base{Source: Source(raw.Source), byFold: map[string]any{}}
	if err := b.add(file, &raw, origin); err != nil {
		return nil, err
	}
	return b, nil
}

// merge adds an overlay file to the base.
func (b *Base) merge(file string, data []byte) error {
	var raw rawFile
	if err := decode(file, data, &raw); err != nil {
		return err
	}
	if len(raw.Clusters) == 0 && len(raw.Cards) == 0 {
		return &FileError{File: file, Problem: "no clusters or cards: an overlay adds values (under clusters) or questions (under cards)"}
	}
	origin := Origin(raw.Source.Title)
	if origin == "" {
		origin = Origin(file)
	}
	return b.add(file, &raw, origin)
}

// add validates raw content and adds it to b. Clusters and cards that exist
// already (by folded name) are extended; new ones need all their fields.
func (b *Base) add(file string, raw *rawFile, origin Origin) error {
	bad := func(line int, format string, args ...any) error {
		return &FileError{File: file, Line: line, Problem: fmt.Sprintf(format, args...)}
	}
	for _, rc := range raw.Clusters {
		if strings.TrimSpace(rc.Name) == "" {
			return bad(rc.line, "cluster without a name")
		}
		c := b.cluster(rc.Name)
		if c == nil {
			if rc.Description == "" {
				return bad(rc.line, "new cluster %q needs a description", rc.Name)
			}
			if !slices.Contains(clusterKinds, rc.Kind) {
				return bad(rc.line, "cluster %q: kind must be one of %s, not %q", rc.Name, strings.Join(clusterKinds, ", "), rc.Kind)
			}
			c = &Cluster{Name: rc.Name, Description: rc.Description, Kind: rc.Kind, Origin: origin}
			b.Clusters = append(b.Clusters, c)
			b.byFold["c:"+Fold(c.Name)] = c
		}
		for _, rv := range rc.Values {
			if strings.TrimSpace(rv.Name) == "" {
				return bad(rv.line, "value without a name in cluster %q", rc.Name)
			}
			if v := b.value(rv.Name); v != nil {
				return bad(rv.line, "value %q is already on the map (cluster %s)", rv.Name, v.Cluster.Name)
			}
			if len(rv.Opinions) == 0 {
				return bad(rv.line, "value %q has no opinions", rv.Name)
			}
			for _, op := range rv.Opinions {
				if strings.TrimSpace(op) == "" {
					return bad(rv.line, "value %q has an empty opinion", rv.Name)
				}
			}
			v := &Value{Name: rv.Name, Cluster: c, Opinions: rv.Opinions, Origin: origin}
			c.Values = append(c.Values, v)
			b.byFold["v:"+Fold(v.Name)] = v
		}
	}
	for _, rc := range raw.Cards {
		if strings.TrimSpace(rc.Name) == "" {
			return bad(rc.line, "card without a name")
		}
		card := b.card(rc.Name)
		if card == nil {
			card = &Card{Name: rc.Name, Origin: origin}
			b.Cards = append(b.Cards, card)
			b.byFold["k:"+Fold(card.Name)] = card
		}
		for _, rg := range rc.Groups {
			if strings.TrimSpace(rg.Name) == "" {
				return bad(rg.line, "group without a name on card %q", rc.Name)
			}
			var g *Group
			for _, og := range card.Groups {
				if Fold(og.Name) == Fold(rg.Name) {
					g = og
				}
			}
			if g == nil {
				g = &Group{Name: rg.Name, Card: card}
				card.Groups = append(card.Groups, g)
			}
			for _, rt := range rg.Themes {
				if strings.TrimSpace(rt.Name) == "" {
					return bad(rt.line, "theme without a name in group %q", rg.Name)
				}
				if t := b.theme(rt.Name); t != nil {
					return bad(rt.line, "theme %q is already on %s", rt.Name, t.Card().Name)
				}
				if len(rt.Questions) == 0 {
					return bad(rt.line, "theme %q has no questions", rt.Name)
				}
				t := &Theme{Name: rt.Name, Group: g, Questions: rt.Questions}
				g.Themes = append(g.Themes, t)
				b.byFold["t:"+Fold(t.Name)] = t
			}
		}
	}
	return nil
}

// applyAdditions reads the project's own additions and links them in.
func (b *Base) applyAdditions(file string, data []byte) error {
	var raw rawAdditions
	if err := decode(file, data, &raw); err != nil {
		return err
	}
	bad := func(section, key, problem string) error {
		return &FileError{File: file, Line: raw.lines[section+"/"+key], Problem: problem}
	}
	for name, syns := range raw.Synonyms {
		switch {
		case b.value(name) != nil:
			v := b.value(name)
			v.Synonyms = append(v.Synonyms, syns...)
		case b.theme(name) != nil:
			t := b.theme(name)
			t.Synonyms = append(t.Synonyms, syns...)
		case b.card(name) != nil:
			c := b.card(name)
			c.Synonyms = append(c.Synonyms, syns...)
		case b.cluster(name) != nil:
			// Cluster synonyms are covered by folding (Hiërarchie/hierarchie).
		default:
			return bad("synonyms", name, fmt.Sprintf("synonyms for %q, which is no value, cluster, theme or card", name))
		}
	}
	for name, themes := range raw.Links {
		v := b.value(name)
		if v == nil {
			return bad("links", name, fmt.Sprintf("links for unknown value %q", name))
		}
		for _, tn := range themes {
			t := b.theme(tn)
			if t == nil {
				return bad("links", name, fmt.Sprintf("value %q links to unknown theme %q", name, tn))
			}
			v.Themes = append(v.Themes, t)
			t.Values = append(t.Values, v)
		}
	}
	for name, words := range raw.Keywords {
		v := b.value(name)
		if v == nil {
			return bad("keywords", name, fmt.Sprintf("keywords for unknown value %q", name))
		}
		v.Keywords = append(v.Keywords, words...)
	}
	for _, rr := range raw.Related {
		r := &Related{Term: rr.Term, Source: rr.Source}
		if b.value(rr.Term) != nil {
			return &FileError{File: file, Line: rr.line, Problem: fmt.Sprintf("related term %q is a value on the map", rr.Term)}
		}
		for _, vn := range rr.Values {
			v := b.value(vn)
			if v == nil {
				return &FileError{File: file, Line: rr.line, Problem: fmt.Sprintf("related term %q points to unknown value %q", rr.Term, vn)}
			}
			r.Values = append(r.Values, v)
		}
		b.Related = append(b.Related, r)
	}
	return nil
}

// The lookups below are by exact folded name, for loading and tests; the
// search index serves the queries.

// named returns what was added under kind ("c", "v", "k", "t") and the
// folded form of name, or nil.
func named[T any](b *Base, kind, name string) *T {
	t, _ := b.byFold[kind+":"+Fold(name)].(*T)
	return t
}

func (b *Base) cluster(name string) *Cluster { return named[Cluster](b, "c", name) }
func (b *Base) value(name string) *Value     { return named[Value](b, "v", name) }
func (b *Base) card(name string) *Card       { return named[Card](b, "k", name) }
func (b *Base) theme(name string) *Theme     { return named[Theme](b, "t", name) }
