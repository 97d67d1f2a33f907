// Dev harness: the piano roll and waveform on generated data, with no studio host behind them.
// Used by bench/ui.ts to measure frame times; not part of the studio.
import { mount } from 'svelte';
import Harness from './Harness.svelte';
import '../styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('no #app element');
export default mount(Harness, { target });
