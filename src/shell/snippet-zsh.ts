// The zsh snippet of `continuum shell-init zsh`. Kept as one literal so that what the
// user's shell runs is exactly what is reviewed here; src/shell/shell-snippets.ts documents the
// record format it writes and reads.

/** Zsh code printed by `continuum shell-init zsh`. */
export const zshSnippet = `# continuum shell integration for zsh: eval "$(continuum shell-init zsh)" in ~/.zshrc.
# Outside tmux it does nothing. Per prompt and per command it runs only builtins (no process).
if [[ -n \${TMUX-} && -n \${TMUX_PANE-} && -o interactive && -z \${__continuum_loaded-} ]]; then
typeset -g __continuum_loaded=1
typeset -g __continuum_directory=\${XDG_RUNTIME_DIR:-\${XDG_STATE_HOME:-$HOME/.local/state}}/continuum/panes
typeset -g __continuum_server=\${\${TMUX#*,}%%,*}
typeset -g __continuum_identity
# A restored pane carries its saved identity; one that came from another pane's environment (a
# server started inside a pane copies it) belongs to that pane, and this pane gets its own.
if [[ \${CONTINUUM_PANE_ID-} =~ '^[A-Za-z0-9_-]{1,64}$' && ( -z \${CONTINUUM_PANE_OWNER-} || $CONTINUUM_PANE_OWNER == "$TMUX_PANE,$__continuum_server" ) ]]; then
  __continuum_identity=$CONTINUUM_PANE_ID
else
  __continuum_identity=$__continuum_server-\${TMUX_PANE#%}-$$
fi
export CONTINUUM_PANE_ID=$__continuum_identity CONTINUUM_PANE_OWNER=$TMUX_PANE,$__continuum_server
typeset -g __continuum_state=$__continuum_directory/$__continuum_identity.state
typeset -g __continuum_history=$__continuum_directory/$__continuum_identity.history
# Once, at load: only a directory of this shell's own user, 0700, in a parent of its own, reached
# through no symlink (docs/shell-integration.md), else the pane records nothing, silently.
[[ -e $__continuum_directory || -L $__continuum_directory ]] || (umask 077 && command mkdir -p -- "$__continuum_directory") 2>/dev/null
typeset -g __continuum_private=
() {
  local parent=\${__continuum_directory:h}
  [[ -d \${parent:h} && ! -L \${parent:h} && -O \${parent:h} && -d $parent && ! -L $parent && -O $parent ]] &&
    command chmod 700 -- "$parent" 2>/dev/null &&
    [[ -d $__continuum_directory && ! -L $__continuum_directory && -O $__continuum_directory ]] &&
    command chmod 700 -- "$__continuum_directory" 2>/dev/null &&
    [[ ! -L $__continuum_state && ! -L $__continuum_history ]] &&
    { [[ ! -e $__continuum_state ]] || [[ -f $__continuum_state && -O $__continuum_state ]] } &&
    { [[ ! -e $__continuum_history ]] || [[ -f $__continuum_history && -O $__continuum_history ]] } &&
    __continuum_private=1
}
[[ -z $__continuum_private || ( -f $__continuum_state && -f $__continuum_history ) ]] || (umask 077 && : >>"$__continuum_state" && : >>"$__continuum_history") 2>/dev/null
typeset -ga __continuum_names=()
() {
  local name
  for name in VIRTUAL_ENV CONDA_DEFAULT_ENV \${=\${CONTINUUM_ENVIRONMENT_NAMES-}//,/ }; do
    [[ $name =~ '^[A-Za-z_][A-Za-z0-9_]*$' ]] && __continuum_names+=("$name")
  done
}
# The ignorespace convention: a command typed with a leading space is kept out of every history.
setopt hist_ignore_space

# Writes the pane's record: NUL-terminated fields, so any byte of a value survives.
__continuum_write_state() {
  local name
  {
    printf '%s\\0' continuum-pane 1 identity "$__continuum_identity" tmux "$TMUX" tmux-pane "$TMUX_PANE" \\
      shell zsh shell-pid "$$" history-file "$__continuum_history"
    (( $# )) && printf '%s\\0' command "$1"
    for name in "\${__continuum_names[@]}"; do
      (( \${(P)+name} )) && printf 'environment\\0%s=%s\\0' "$name" "\${(P)name}"
    done
    printf 'end\\0'
  } >"$__continuum_state" 2>/dev/null
}

__continuum_addhistory() {
  # zshaddhistory gets the line with its newline; a leading space keeps it out (hist_ignore_space).
  [[ $1 == ' '* ]] || { printf '%s\\0' "\${1%$'\\n'}" >>"$__continuum_history" } 2>/dev/null
  return 0
}

__continuum_before_command() {
  [[ $1 == ' '* ]] || __continuum_write_state "$1"
}

__continuum_precmd() {
  if [[ -n \${CONTINUUM_RESTORE_FILE-} ]]; then
    __continuum_restore
  fi
  __continuum_write_state
}

# A restored pane: history and variables from the file continuum wrote, read as data.
__continuum_restore() {
  local key value file=$CONTINUUM_RESTORE_FILE history_file= history_shell=zsh virtualenv=
  unset CONTINUUM_RESTORE_FILE
  # Only a file of ours in the pane directory, never through a link.
  [[ $file == "$__continuum_directory"/* && -f $file && ! -L $file && -O $file ]] || return 0
  {
    IFS= read -r -d '' key && [[ $key == continuum-restore ]] && IFS= read -r -d '' value &&
      while IFS= read -r -d '' key && IFS= read -r -d '' value; do
        case $key in
          (history-file) history_file=$value ;;
          (history-shell) history_shell=$value ;;
          (environment)
            IFS= read -r -d '' key || break
            [[ $value == VIRTUAL_ENV ]] && virtualenv=1
            [[ $value =~ '^[A-Za-z_][A-Za-z0-9_]*$' ]] && export "$value=$key" ;;
        esac
      done
  } <"$file"
  if [[ $history_file == "$__continuum_directory"/* && -f $history_file && ! -L $history_file && -O $history_file ]]; then
    # Another shell's history is in that shell's format: zsh would take its lines for commands.
    if [[ $history_shell == zsh ]]; then
      fc -R "$history_file"
    else
      printf 'continuum: this pane ran %s when it was saved; its history is left out of zsh\\n' "$history_shell" >&2
    fi
    command rm -f -- "$history_file"
  fi
  command rm -f -- "$file"
  # Only a virtualenv the restore named (continuum checked whose files it holds before naming it).
  if [[ -n $virtualenv && -n \${VIRTUAL_ENV-} ]]; then
    if [[ -f $VIRTUAL_ENV/bin/activate ]]; then
      builtin source "$VIRTUAL_ENV/bin/activate"
    else
      printf 'continuum: the virtualenv %s no longer exists\\n' "$VIRTUAL_ENV" >&2
      unset VIRTUAL_ENV
    fi
  fi
}

if [[ -n $__continuum_private ]]; then
  autoload -Uz add-zsh-hook
  add-zsh-hook zshaddhistory __continuum_addhistory
  add-zsh-hook preexec __continuum_before_command
  add-zsh-hook precmd __continuum_precmd
else
  unset CONTINUUM_RESTORE_FILE
fi
fi
`;
