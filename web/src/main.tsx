// The web app's entry: global styles and the React root.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { getLocale } from './i18n/i18n.js';
import './ui/theme.css';

document.documentElement.lang = getLocale();
createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
