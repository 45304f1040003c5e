import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { createConnection } from './connection.js';
import { hostApi } from './gatehouse.js';
import './styles.css';

// One API for the whole app, and one connection state learnt from its answers.
const connection = createConnection();
const api = connection.track(hostApi(() => connection.set('signed-out')));

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App api={api} connection={connection} /></StrictMode>);
