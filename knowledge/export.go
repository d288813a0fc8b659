package knowledge

// The export types give the JSON shape of `waardenbot kb export`:
// {"clusters":[{"name","description","kind","values":[{"name","opinions"}]}],
//  "cards":[{"name","groups":[{"name","themes":[{"name","questions"}]}]}]}
// plus, as extra fields, the origin of each part and the project's additions.

// Export is the whole base in its exported form.
type Export struct {
	Source   Source          `json:"source"`
	Clusters []ExportCluster `json:"clusters"`
	Cards    []ExportCard    `json:"cards"`
	Related  []ExportRelated `json:"related"`
}

// ExportCluster is a cluster in the export.
type ExportCluster struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Kind        string        `json:"kind"`
	Origin      Origin        `json:"origin"`
	Values      []ExportValue `json:"values"`
}

// ExportValue is a value in the export. Synonyms and Themes are the
// project's own additions.
type ExportValue struct {
	Name     string   `json:"name"`
	Opinions []string `json:"opinions"`
	Origin   Origin   `json:"origin"`
	Synonyms []string `json:"synonyms,omitempty"`
	Themes   []string `json:"themes,omitempty"`
}

// ExportCard is a question card in the export.
type ExportCard struct {
	Name   string        `json:"name"`
	Origin Origin        `json:"origin"`
	Groups []ExportGroup `json:"groups"`
}

// ExportGroup is a group of a card in the export.
type ExportGroup struct {
	Name   string        `json:"name"`
	Themes []ExportTheme `json:"themes"`
}

// ExportTheme is a theme of a group in the export.
type ExportTheme struct {
	Name      string   `json:"name"`
	Questions []string `json:"questions"`
}

// ExportRelated is a related term (project's own) in the export.
type ExportRelated struct {
	Term   string   `json:"term"`
	Values []string `json:"values"`
	Source string   `json:"source,omitempty"`
}

// Export returns the base in its exported form, ready for encoding/json.
func (b *Base) Export() Export {
	e := Export{Source: b.Source, Clusters: []ExportCluster{}, Cards: []ExportCard{}, Related: []ExportRelated{}}
	for _, c := range b.Clusters {
		ec := ExportCluster{Name: c.Name, Description: c.Description, Kind: c.Kind, Origin: c.Origin, Values: []ExportValue{}}
		for _, v := range c.Values {
			ev := ExportValue{Name: v.Name, Opinions: v.Opinions, Origin: v.Origin, Synonyms: v.Synonyms}
			for _, t := range v.Themes {
				ev.Themes = append(ev.Themes, t.Name)
			}
			ec.Values = append(ec.Values, ev)
		}
		e.Clusters = append(e.Clusters, ec)
	}
	for _, c := range b.Cards {
		ecard := ExportCard{Name: c.Name, Origin: c.Origin, Groups: []ExportGroup{}}
		for _, g := range c.Groups {
			eg := ExportGroup{Name: g.Name, Themes: []ExportTheme{}}
			for _, t := range g.Themes {
				eg.Themes = append(eg.Themes, ExportTheme{Name: t.Name, Questions: t.Questions})
			}
			ecard.Groups = append(ecard.Groups, eg)
		}
		e.Cards = append(e.Cards, ecard)
	}
	for _, r := range b.Related {
		er := ExportRelated{Term: r.Term, Source: r.Source}
		for _, v := range r.Values {
			er.Values = append(er.Values, v.Name)
		}
		e.Related = append(e.Related, er)
	}
	return e
}
