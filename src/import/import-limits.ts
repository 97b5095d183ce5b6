/**
 * The largest indexes tmux accepts, for the importers: a number beyond them passes a JSON or text
 * parse, then breaks the restore (tmux refuses `pane-base-index 4294967295`) after the save was
 * already imported. Window indexes are C ints (`base-index` goes up to INT_MAX); panes are numbered
 * from `pane-base-index`, whose maximum is USHRT_MAX (tmux options-table.c). A pane above 65535 is
 * possible only with a base of 65535 and a second pane: not worth a save nobody can restore.
 */
export const tmuxIndexLimits = { window: 2_147_483_647, pane: 65_535 } as const;
