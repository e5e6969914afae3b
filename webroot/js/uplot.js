// uPlot from its WebJar (pom.xml: uplot.version); the path carries the version, so it caches forever.
export { default } from '../vendor/uplot/1.6.30/dist/uPlot.esm.js';
