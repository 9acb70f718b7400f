// SPDX-License-Identifier: MIT
/* enable/disable FEATURE: one .wslconfig key per feature, from a table. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "args.h"
#include "wslconfig_cmd.h"
#include "commands.h"
#include "output.h"
#include "suggest.h"

static const struct feature {
	const char *name;
	const char *key;
	const char *on, *off;
} features[] = {
	{ "virtiofs", "wsl2.virtiofs", "true", "false" },
	{ NULL, NULL, NULL, NULL },
};

static int toggle(struct ctx *c, int argc, char **argv, bool on)
{
	static const struct option_spec specs[] = { { NULL, 0, 0, 0 } };
	const char *verb = on ? "enable" : "disable";
	const struct feature *f;
	struct winpath_found where;
	struct wslconfig_value v;
	struct wslconfig *cfg;
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	int npos, rc = -1;

	if (!pos)
		return error_set(&c->err, ERR_IO, "out of memory");
	npos = args_parse(argc - 1, argv + 1, specs, NULL, NULL, pos, 0, &c->err);
	if (npos < 0)
		goto out;
	if (npos != 1) {
		error_set(&c->err, ERR_USAGE, "usage: wslctl %s FEATURE (features: virtiofs)", verb);
		goto out;
	}
	/* Names are case-insensitive, as keys are. */
	for (f = features; f->name && strcasecmp(f->name, pos[0]); f++)
		;
	if (!f->name) {
		char hint[SUGGEST_HINT_SIZE];

		error_set(&c->err, ERR_USAGE, "unknown feature '%s'%s (features: virtiofs)", pos[0],
			  suggest_hint(hint, sizeof(hint), SUGGEST_FROM(pos[0], features)));
		goto out;
	}
	if (wslconfig_cmd_locate(c, NULL, &where) < 0 || wslconfig_cmd_open(c, where.path, true, &cfg) < 0)
		goto out;
	/* Off where absent is WSL's default: nothing to write then. */
	if (on || wslconfig_get(cfg, f->key, &v) == 1)
		rc = wslconfig_set(cfg, f->key, on ? f->on : f->off, &c->err);
	else
		rc = 0;
	if (rc >= 0)
		rc = wslconfig_cmd_commit(c, cfg);
	if (rc == 0) {
		bool changed = json_is_true(json_object_get(c->result, "changed"));

		json_object_del(c->result, "changes");
		json_object_set_new(c->result, "key", json_string(f->key));
		json_object_set_new(c->result, "value", json_string(on ? f->on : f->off));
		if (!changed)
			did(c, "%s is already %s in %s", f->name, on ? "enabled" : "disabled",
			    wslconfig_path(cfg));
		else
			did(c, "%s %s%s in %s ([%.*s] %s=%s)", f->name, c->dry_run ? "would be " : "",
			    on ? "enabled" : "disabled", wslconfig_path(cfg),
			    (int)(strchr(f->key, '.') - f->key), f->key, strchr(f->key, '.') + 1,
			    on ? f->on : f->off);
	}
	wslconfig_free(cfg);
out:
	free(pos);
	return rc;
}

int cmd_enable(struct ctx *c, int argc, char **argv)
{
	return toggle(c, argc, argv, true);
}

int cmd_disable(struct ctx *c, int argc, char **argv)
{
	return toggle(c, argc, argv, false);
}
