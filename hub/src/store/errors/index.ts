export { StoreConfigError } from './store-config.error';
