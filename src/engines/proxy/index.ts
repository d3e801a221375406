export * from './engine';
export * from './errors';
export { parseChunk, type ChunkEvent, type StreamUsage } from './chunks';
