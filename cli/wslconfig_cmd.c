// SPDX-License-Identifier: MIT
#include "wslconfig_cmd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


#include "output.h"
#include "textenc.h"

int wslconfig_cmd_locate(struct ctx *c, const char *file, struct winpath_found *f)
{
	if (file) {
		if (winpath_dash(file, "--file ", &c->err) < 0)
			return -1;
		memset(f, 0, sizeof(*f));
		snprintf(f->path, sizeof(f->path), "%s", file);
		f->source = "file";
		snprintf(f->how, sizeof(f->how), "given by --file");
		return 0;
	}
	if (winpath_find_wslconfig(c->root, c->wslconfig, WINPATH_REQUIRED, f, &c->err) < 0)
		return -1;
	return 0;
}

int wslconfig_cmd_open(struct ctx *c, const char *path, bool edit, struct wslconfig **cfg)
{
	int rc;

	/* A wait for the lock is told by main's filelock_on_wait hook. */
	rc = edit && !c->dry_run ? wslconfig_edit_begin(path, cfg, &c->err)
				 : wslconfig_load(path, cfg, &c->err);
	if (rc == 0)
		wslconfig_set_root(*cfg, c->root);
	return rc;
}

/* KEY: OLD -> NEW, the values quoted when they hold control characters (a newline in a
 * value must not pass for another line). */
static void show_change(struct ctx *c, const struct wslconfig_change *ch)
{
	char *o = ch->old_value ? wslconfig_quote(ch->old_value) : NULL;
	char *n = ch->new_value ? wslconfig_quote(ch->new_value) : NULL;

	did(c, "%s: %s -> %s", ch->key,
	    o ? o : ch->old_value ? "(out of memory)" : ch->new_value ? "(unset)" : "(invalid line)",
	    n ? n : ch->new_value ? "(out of memory)" : "(unset)");
	free(o);
	free(n);
}

int wslconfig_cmd_commit(struct ctx *c, struct wslconfig *cfg)
{
	const struct wslconfig_change *ch;
	size_t n = wslconfig_changes(cfg, &ch);
	json_t *arr = json_array();
	struct stat st;
	/* Replacing the file gives this name a new inode: other hard links keep the old one. */
	bool linked = stat(wslconfig_path(cfg), &st) == 0 && st.st_nlink > 1;
	int w = wslconfig_commit(cfg, c->dry_run, &c->err);

	if (w < 0) {
		json_decref(arr);
		return -1;
	}
	if (w == 1 && !c->dry_run && linked)
		warnf(c, "%s had %lu hard links: only this name was replaced, its other names "
		      "keep the old contents", wslconfig_path(cfg), (unsigned long)st.st_nlink);
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(arr, json_pack("{s:s, s:o, s:o}", "key", ch[i].key,
						     "old", json_str_or_null(ch[i].old_value),
						     "new", json_str_or_null(ch[i].new_value)));
		show_change(c, &ch[i]);
	}
	json_object_set_new(c->result, "changed", json_boolean(w == 1));
	json_object_set_new(c->result, "file", json_str_or_null(wslconfig_path(cfg)));
	json_object_set_new(c->result, "changes", arr);
	json_object_set_new(c->result, "restart_required", json_boolean(w == 1));
	if (c->dry_run)
		json_object_set_new(c->result, "dry_run", json_true());
	if (w == 0)
		info(c, "%s: already so, nothing written", wslconfig_path(cfg));
	else if (c->dry_run)
		info(c, "%s: would be written (dry run)", wslconfig_path(cfg));
	else
		info(c, "%s: written; restart WSL (wsl.exe --shutdown) for it to apply",
		     wslconfig_path(cfg));
	return 0;
}
