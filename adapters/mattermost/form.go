package mattermost

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

// The bot's forms (bot.Form) are Mattermost interactive dialogs, opened
// with the trigger_id of the slash command (/casus without text) or the
// click ("Waarde toevoegen") that asked for one. The dialog's state is a
// signed click (see action.go) naming the form, its poll and a nonce; the
// submission comes to /mattermost/dialog, where the state is checked
// again, and is answered with errors beside the fields (the dialog stays
// open) or with nothing (it closes). The nonce is the form's origin: the
// same dialog submitted twice makes one poll.

// What the state of a dialog opened for a form says (click.Op).
const (
	opForm = "form" // click.Option is "FORMID:NONCE", click.Poll the poll of an optie form
	opAdd  = "add"  // the "Waarde toevoegen" button: click.Poll is the poll
)

// flagSep joins a switch field's name and its option's value in the name
// of the bool element that shows the option ("settings:anoniem").
const flagSep = ":"

// openForm opens f as a dialog for the person whose request carried
// triggerID, in channel of team.
func (a *Adapter) openForm(ctx context.Context, triggerID, team, channel string, f *bot.Form) error {
	key, err := a.actionKey(ctx)
	if err != nil {
		return err
	}
	nonce := make([]byte, 16)
	rand.Read(nonce) // never fails (crypto/rand documents it)
	state, err := json.Marshal(click{Op: opForm, Poll: f.Poll, Option: f.ID + ":" + hex.EncodeToString(nonce), Team: team, Channel: channel}.context(key))
	if err != nil {
		return err
	}
	return a.rest.openDialog(ctx, dialogRequest{
		TriggerId: triggerID,
		URL:       a.cfg.PublicURL + dialogPath,
		Dialog: dialogForm{
			CallbackId:       opForm,
			Title:            bot.Truncate(f.Title, model.DialogTitleMaxLength),
			IntroductionText: f.Intro,
			SubmitLabel:      f.Submit,
			Elements:         dialogElements(f),
			State:            string(state),
		},
	})
}

// dialogElements are f's fields as dialog elements, within Mattermost's
// limits. A multi-select shows as one select on servers older than about
// 10.x (they ignore "multiselect"); the other-values field takes the rest.
// A switch field is a checkbox (bool element) per option.
func dialogElements(f *bot.Form) []dialogElement {
	label := func(s string) string { return bot.Truncate(s, model.DialogElementDisplayNameMaxLength) }
	help := func(s string) string { return bot.Truncate(s, model.DialogElementHelpTextMaxLength) }
	var out []dialogElement
	for _, fld := range f.Fields {
		el := dialogElement{Name: fld.Name, DisplayName: label(fld.Label), HelpText: help(fld.Hint), Optional: fld.Optional,
			Placeholder: bot.Truncate(fld.Placeholder, model.DialogElementTextMaxLength), Default: fld.Default}
		switch fld.Kind {
		case bot.FieldText:
			el.Type, el.MaxLength = "text", min(fld.MaxLength, model.DialogElementTextMaxLength)
		case bot.FieldLong:
			el.Type, el.MaxLength = "textarea", min(fld.MaxLength, model.DialogElementTextareaMaxLength)
		case bot.FieldChoose, bot.FieldPick:
			el.Type, el.MultiSelect, el.Placeholder = "select", fld.Kind == bot.FieldChoose, ""
			for _, o := range fld.Options {
				text := o.Label
				if o.Group != "" {
					text += " (" + o.Group + ")"
				}
				el.Options = append(el.Options, dialogOption{Text: text, Value: o.Value})
			}
		case bot.FieldFlags:
			for _, o := range fld.Options {
				out = append(out, dialogElement{Type: "bool", Name: fld.Name + flagSep + o.Value, DisplayName: label(o.Label),
					Placeholder: help(o.Hint), Optional: true})
			}
			continue
		}
		out = append(out, el)
	}
	return out
}

// formValues are a dialog's submission as the bot's form values: texts
// and selects as they are (a multi-select as a list, or as one string
// with commas from a client that sends it so), each ticked checkbox as a
// value of its switch field.
func formValues(sub map[string]any) map[string][]string {
	out := map[string][]string{}
	for name, v := range sub {
		field, option, isFlag := strings.Cut(name, flagSep)
		switch v := v.(type) {
		case bool:
			if isFlag && v {
				out[field] = append(out[field], option)
			}
		case string:
			if v != "" {
				out[name] = append(out[name], v)
			}
		case float64:
			out[name] = append(out[name], fmt.Sprint(v))
		case []any:
			for _, x := range v {
				if s, ok := x.(string); ok && s != "" {
					out[name] = append(out[name], s)
				}
			}
		}
	}
	return out
}

// formDialog handles a submitted form dialog whose state c verified: it
// hands the values to the bot and answers with the errors per element, or
// posts the poll the form made (or redraws the poll it changed).
func (a *Adapter) formDialog(ctx context.Context, req *dialogSubmission, c click) *dialogResponse {
	form, nonce, _ := strings.Cut(c.Option, ":")
	breq := bot.Request{Platform: Platform, Team: c.Team, Channel: req.ChannelId, User: req.UserId,
		Admin: a.admins.Check(c.Team, req.ChannelId, req.UserId)}
	if u, err := a.rest.user(ctx, req.UserId); err == nil {
		breq.UserName = u.Username
	}
	res := a.bot.SubmitForm(ctx, breq, form, c.Poll, formValues(req.Submission), "mattermost/"+nonce)
	if len(res.Errors) > 0 {
		return dialogErrors(res.Errors, req.Submission)
	}
	r := res.Reply
	if r.Poll != nil && !a.bot.AfterReply(ctx, r, a.polls) && r.PostsPoll() {
		if err := a.createPosts(ctx, req.ChannelId, "", r.Text); err != nil {
			a.log.Error("poll from a form not posted", "channel", req.ChannelId, "error", err, "fix", "check that the bot is a member of the channel and may post there; the poll exists: /peilingen shows it")
		}
	}
	return &dialogResponse{}
}

// dialogErrors puts each field's error beside its element: a switch
// field's beside its first checkbox. An error whose element the
// submission does not name (an optional field left empty, on a server
// that leaves those out) is shown at the foot of the dialog as well.
func dialogErrors(errs map[string]string, sub map[string]any) *dialogResponse {
	resp := &dialogResponse{Errors: map[string]string{}}
	for field, msg := range errs {
		name := ""
		if _, ok := sub[field]; ok {
			name = field
		}
		for el := range sub {
			if strings.HasPrefix(el, field+flagSep) && (name == "" || el < name) {
				name = el
			}
		}
		if name == "" {
			name = field
			resp.Error = render(msg)
		}
		resp.Errors[name] = render(msg)
	}
	return resp
}
