package bot

import "fmt"

// catalog holds every sentence the bot shows a user, by key, in one
// language. The book's own content (values, opinions, questions) is not
// translated.
type catalog map[string]string

// T formats the message for key with args. A missing key is a bug that a
// test catches; at run time it shows the key rather than nothing.
func (c catalog) T(key string, args ...any) string {
	f, ok := c[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

func catalogFor(lang string) catalog {
	if lang == "en" {
		return english
	}
	return dutch
}

var dutch = catalog{
	"source":              "_Bron: %s_",
	"own":                 "toevoeging van waardenbot, niet uit het boek",
	"err.too_long":        "Dat is te lang: ik lees hooguit %d tekens. Maak je vraag korter.",
	"err.unknown_command": "Het commando `/%s` ken ik niet.",
	"err.did_you_mean":    "Bedoelde je `/%s`?",
	"err.internal":        "Er ging iets mis aan mijn kant; probeer het zo nog eens. Blijft het misgaan, meld het dan aan de beheerder.",

	"corrected":      "Bedoelde je **%s**? Je typte ‘%s’.",
	"via":            "‘%s’ leidt naar **%s**.",
	"also":           "‘%s’ is ook: %s.",
	"value.title":    "**%s** · waarde in het cluster **%s** (%s)",
	"cluster.line":   "_%s … %s_",
	"opinions":       "Opvattingen uit het boek:",
	"value.themes":   "Vraagthema's die erbij passen (%s): %s",
	"value.origin":   "Deze waarde komt uit %s, niet uit het boek.",
	"cluster.title":  "**%s** · waardencluster (%s) met %d waarden",
	"cluster.value":  "- **%s**: “%s”",
	"overview":       "**De Waardenkaart: %d waardenclusters, %d waarden**",
	"overview.tip":   "Typ `/waarde privacy` voor een waarde of `/waarde vrijheid` voor een cluster.",
	"kind.ideëel":    "ideële clusters",
	"kind.sociaal":   "sociale clusters",
	"kind.praktisch": "praktische clusters",

	"related.title":   "**%s** staat niet op de Waardenkaart van het boek.",
	"related.nearest": "Het dichtst erbij (%s): %s.",
	"related.source":  "De term komt uit: %s.",
	"related.tip":     "Zie `/waarde %s`.",

	"theme.is":       "**%s** is een thema op de %s (groep _%s_), geen waarde.",
	"theme.values":   "Waarden die erbij passen (%s): %s.",
	"theme.tip":      "De vragen: `/vragen %s`.",
	"group.is":       "**%s** is een groep op de %s, geen waarde. De vragen: `/vragen %s`.",
	"card.is":        "**%s** is een vragenkaart, geen waarde. Zie `/vragen %s`.",
	"found.opinions": "Geen waarde die zo heet, maar ‘%s’ komt voor in deze opvattingen:",
	"found.quest":    "‘%s’ komt voor in deze vragen:",
	"hit.opinion":    "> “%s”\n> — waarde **%s** (%s)",
	"hit.question":   "- %s\n  _thema **%s**, %s › %s_",
	"notfound":       "Ik vond niets voor ‘%s’ op de Waardenkaart of de vragenkaarten.",
	"suggest":        "Bedoelde je misschien: %s?",
	"notfound.tip":   "`/waarde` toont alle waarden, `/vragen` alle vraagthema's.",
	"empty.query":    "Typ na het commando wat je zoekt, bijvoorbeeld `/waarde privacy`.",

	"theme.title":   "**%s** · thema van de %s, groep _%s_",
	"group.title":   "**%s** · groep van de %s met %d thema's",
	"card.title":    "**%s**: %d groepen, %d thema's, %d vragen",
	"cards.title":   "**De vragenkaarten uit het boek**",
	"cards.tip":     "Typ `/vragen beveiliging` voor de vragen van een thema, of `/vragen bestuur` voor een groep.",
	"n.questions":   "%d vragen",
	"value.quest":   "**%s** is een waarde (cluster %s). Vragen uit de thema's die erbij passen (%s):",
	"cluster.is":    "**%s** is een waardencluster, geen vraagthema. Zie `/waarde %s`.",
	"related.quest": "**%s** staat niet op de vragenkaarten; de waarden het dichtst erbij (%s): %s.",

	"help.intro":   "**waardenbot** helpt raadsleden, gemeentelijke teams en de griffie het gesprek te voeren over publieke waarden bij digitalisering, met het denkgereedschap van het boek _Digitalisering in beeld_ (De Argumentenfabriek / Democratie in Actie).",
	"help.list":    "Commando's:",
	"help.mention": "Je kunt me ook aanspreken zonder schuine streep: `@waardenbot waarde privacy`.",
	"help.waarde":  "`/waarde [naam]`: een waarde of cluster van de Waardenkaart met de opvattingen uit het boek. Bijvoorbeeld `/waarde privacy`, `/waarde vrijheid`, `/waarde camera`.",
	"help.vragen":  "`/vragen [thema]`: de politieke vragen van de vragenkaarten. Bijvoorbeeld `/vragen beveiliging`, `/vragen bestuur`, `/vragen 5g`.",
	"help.help":    "`/help`: deze uitleg.",
}

var english = catalog{
	"source":              "_Source: %s_",
	"own":                 "waardenbot's own addition, not from the book",
	"err.too_long":        "That is too long: I read at most %d characters. Please shorten it.",
	"err.unknown_command": "I don't know the command `/%s`.",
	"err.did_you_mean":    "Did you mean `/%s`?",
	"err.internal":        "Something went wrong on my side; please try again shortly. If it keeps happening, tell the administrator.",

	"corrected":      "Did you mean **%s**? You typed ‘%s’.",
	"via":            "‘%s’ leads to **%s**.",
	"also":           "‘%s’ is also: %s.",
	"value.title":    "**%s** · value in the cluster **%s** (%s)",
	"cluster.line":   "_%s … %s_",
	"opinions":       "Opinions from the book:",
	"value.themes":   "Question themes that fit (%s): %s",
	"value.origin":   "This value comes from %s, not from the book.",
	"cluster.title":  "**%s** · value cluster (%s) with %d values",
	"cluster.value":  "- **%s**: “%s”",
	"overview":       "**The Waardenkaart (map of values): %d clusters, %d values**",
	"overview.tip":   "Type `/waarde privacy` for a value or `/waarde vrijheid` for a cluster.",
	"kind.ideëel":    "ideal clusters (ideëel)",
	"kind.sociaal":   "social clusters (sociaal)",
	"kind.praktisch": "practical clusters (praktisch)",

	"related.title":   "**%s** is not on the book's Waardenkaart.",
	"related.nearest": "Nearest (%s): %s.",
	"related.source":  "The term comes from: %s.",
	"related.tip":     "See `/waarde %s`.",

	"theme.is":       "**%s** is a theme on the %s (group _%s_), not a value.",
	"theme.values":   "Values that fit (%s): %s.",
	"theme.tip":      "Its questions: `/vragen %s`.",
	"group.is":       "**%s** is a group on the %s, not a value. Its questions: `/vragen %s`.",
	"card.is":        "**%s** is a question card, not a value. See `/vragen %s`.",
	"found.opinions": "No value has that name, but ‘%s’ occurs in these opinions:",
	"found.quest":    "‘%s’ occurs in these questions:",
	"hit.opinion":    "> “%s”\n> — value **%s** (%s)",
	"hit.question":   "- %s\n  _theme **%s**, %s › %s_",
	"notfound":       "I found nothing for ‘%s’ on the Waardenkaart or the question cards.",
	"suggest":        "Did you perhaps mean: %s?",
	"notfound.tip":   "`/waarde` lists all values, `/vragen` all question themes.",
	"empty.query":    "Type what you are looking for after the command, for example `/waarde privacy`.",

	"theme.title":   "**%s** · theme of the %s, group _%s_",
	"group.title":   "**%s** · group of the %s with %d themes",
	"card.title":    "**%s**: %d groups, %d themes, %d questions",
	"cards.title":   "**The book's question cards**",
	"cards.tip":     "Type `/vragen beveiliging` for a theme's questions, or `/vragen bestuur` for a group.",
	"n.questions":   "%d questions",
	"value.quest":   "**%s** is a value (cluster %s). Questions from the themes that fit it (%s):",
	"cluster.is":    "**%s** is a value cluster, not a question theme. See `/waarde %s`.",
	"related.quest": "**%s** is not on the question cards; the nearest values (%s): %s.",

	"help.intro":   "**waardenbot** helps council members, municipal teams and the council clerk's office discuss public values in digitalisation, with the thinking tools of the book _Digitalisering in beeld_ (De Argumentenfabriek / Democratie in Actie). The book's content is in Dutch.",
	"help.list":    "Commands:",
	"help.mention": "You can also mention me without a slash: `@waardenbot waarde privacy`.",
	"help.waarde":  "`/waarde [name]`: a value or cluster of the Waardenkaart with the book's opinions. For example `/waarde privacy`, `/waarde vrijheid`, `/waarde camera`.",
	"help.vragen":  "`/vragen [theme]`: the political questions of the question cards. For example `/vragen beveiliging`, `/vragen bestuur`, `/vragen 5g`.",
	"help.help":    "`/help`: this explanation.",
}
