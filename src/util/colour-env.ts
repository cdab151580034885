// What the environment says about colour and redrawn lines, by the conventions other tools keep:
// no-color.org (a non-empty NO_COLOR), FORCE_COLOR (0 off, anything else on, as chalk and Node
// read it), and TERM=dumb (a terminal that cannot move the cursor or colour).

/** Whether colour is wanted, given whether the output is a terminal. */
export function colourWanted(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

/** Whether a self-redrawing line may be drawn on this terminal. */
export function redrawAllowed(env: NodeJS.ProcessEnv): boolean {
  return !env.CI && env.TERM !== 'dumb' && env.FORCE_COLOR !== '0';
}
