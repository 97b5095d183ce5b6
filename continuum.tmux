#!/bin/sh
# TPM entry point (TPM runs every *.tmux file of a plugin). Sets up continuum for the tmux server
# that runs it: the CLI built inside the plugin directory when there is one, else the installed
# `continuum` command. The same as `run-shell 'continuum init'` in .tmux.conf.
plugin_directory=$(cd "$(dirname "$0")" && pwd)
if [ -f "$plugin_directory/dist/continuum.js" ] && command -v node >/dev/null 2>&1; then
  exec node "$plugin_directory/dist/continuum.js" init
fi
if command -v continuum >/dev/null 2>&1; then
  exec continuum init
fi
tmux display-message "continuum: not built yet - run 'npm ci && npm run build' in $plugin_directory"
exit 1
